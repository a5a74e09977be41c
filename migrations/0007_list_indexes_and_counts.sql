CREATE TABLE `change_counts` (
	`customer_id` integer PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `customer_counts` (
	`dimension` text NOT NULL,
	`value` integer NOT NULL,
	`hidden` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`dimension`, `value`, `hidden`)
);
--> statement-breakpoint
CREATE INDEX `customers_status_modified` ON `customers` (`status`,`modified`);--> statement-breakpoint
CREATE INDEX `customers_type_modified` ON `customers` (`type`,`modified`);--> statement-breakpoint
CREATE INDEX `customers_water_database_modified` ON `customers` (`water_database`,`modified`);--> statement-breakpoint
CREATE INDEX `customers_status_number` ON `customers` (`status`,`customer_number`);--> statement-breakpoint
CREATE INDEX `customers_type_number` ON `customers` (`type`,`customer_number`);--> statement-breakpoint
CREATE INDEX `customers_water_database_number` ON `customers` (`water_database`,`customer_number`);