CREATE TABLE `customer_counts` (
	`status` integer NOT NULL,
	`type` integer NOT NULL,
	`water_database` integer NOT NULL,
	`hidden` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`status`, `type`, `water_database`, `hidden`)
);
--> statement-breakpoint
ALTER TABLE `change_counts` ADD `shown` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_changes` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_changes` ADD `shown_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `shown_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `customers_by_status_type` ON `customers` (`status`,`type`);--> statement-breakpoint
CREATE INDEX `customers_by_status_type_modified` ON `customers` (`status`,`type`,`modified`);--> statement-breakpoint
CREATE INDEX `customers_by_status_type_customer_number` ON `customers` (`status`,`type`,`customer_number`);--> statement-breakpoint
CREATE INDEX `customers_by_water_database_status_type` ON `customers` (`water_database`,`status`,`type`);--> statement-breakpoint
CREATE INDEX `customers_by_water_database_status_type_modified` ON `customers` (`water_database`,`status`,`type`,`modified`);--> statement-breakpoint
CREATE INDEX `customers_by_water_database_status_type_customer_number` ON `customers` (`water_database`,`status`,`type`,`customer_number`);