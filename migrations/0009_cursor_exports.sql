CREATE TABLE `customer_export_moves` (
	`export_id` text NOT NULL,
	`customer_id` integer NOT NULL,
	PRIMARY KEY(`export_id`, `customer_id`)
);
--> statement-breakpoint
CREATE TABLE `customer_exports` (
	`id` text PRIMARY KEY NOT NULL,
	`consumer_id` integer NOT NULL,
	`ordering` text NOT NULL,
	`query_hash` text NOT NULL,
	`snapshot` integer NOT NULL,
	`pages` integer DEFAULT 0 NOT NULL,
	`pos_key` text,
	`pos_id` integer,
	`walked` integer DEFAULT false NOT NULL,
	`page` text,
	`page_ids` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`consumer_id`) REFERENCES `api_consumers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_exports_walking` ON `customer_exports` (`walked`) WHERE "customer_exports"."walked" = 0;--> statement-breakpoint
CREATE INDEX `customer_exports_created` ON `customer_exports` (`created_at`);--> statement-breakpoint
ALTER TABLE `customers` ADD `seq` integer DEFAULT 0 NOT NULL;