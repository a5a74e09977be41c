CREATE TABLE `idempotency_keys` (
	`consumer_id` integer NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`customer_id` integer NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`consumer_id`, `key`),
	FOREIGN KEY (`consumer_id`) REFERENCES `api_consumers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created` ON `idempotency_keys` (`created_at`);