PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_idempotency_keys` (
	`consumer_id` integer NOT NULL,
	`key_hash` text NOT NULL,
	`request_hash` text,
	`customer_id` integer NOT NULL,
	`created_at` text NOT NULL,
	`response` text,
	PRIMARY KEY(`consumer_id`, `key_hash`),
	FOREIGN KEY (`consumer_id`) REFERENCES `api_consumers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Edited: the records were keyed by the client's text, which SQL cannot hash; they are 24-hour replay
-- caches, so they are dropped rather than copied.
DROP TABLE `idempotency_keys`;--> statement-breakpoint
ALTER TABLE `__new_idempotency_keys` RENAME TO `idempotency_keys`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `idempotency_keys_created` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE INDEX `idempotency_keys_customer` ON `idempotency_keys` (`customer_id`);