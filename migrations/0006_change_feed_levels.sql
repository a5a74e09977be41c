ALTER TABLE `customer_changes` ADD `hidden_before` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_changes` ADD `hidden_after` integer DEFAULT false NOT NULL;