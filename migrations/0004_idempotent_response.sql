ALTER TABLE `idempotency_keys` ADD `response` text;--> statement-breakpoint
CREATE INDEX `idempotency_keys_customer` ON `idempotency_keys` (`customer_id`);