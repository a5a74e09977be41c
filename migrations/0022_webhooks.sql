CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subscription_id` text NOT NULL,
	`message_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`at` text NOT NULL,
	`status` integer,
	`error` text,
	`duration_ms` integer NOT NULL,
	`entries` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_subscription` ON `webhook_deliveries` (`subscription_id`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`consumer_id` integer NOT NULL,
	`url` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`disabled_reason` text,
	`created` text NOT NULL,
	`origin` text NOT NULL,
	`position` integer NOT NULL,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_secret_until` text,
	`sealed_with` text NOT NULL,
	`message_id` text,
	`message_entries` integer,
	`message_created` text,
	`failures` integer DEFAULT 0 NOT NULL,
	`failing_since` text,
	FOREIGN KEY (`consumer_id`) REFERENCES `api_consumers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "webhook_subscriptions_status" CHECK("webhook_subscriptions"."status" IN ('active', 'disabled'))
);
--> statement-breakpoint
CREATE INDEX `webhook_subscriptions_consumer` ON `webhook_subscriptions` (`consumer_id`);