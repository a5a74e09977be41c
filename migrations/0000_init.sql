CREATE TABLE `addresses` (
	`id` integer PRIMARY KEY NOT NULL,
	`street` text NOT NULL,
	`postal_code` text,
	`city` text
);
--> statement-breakpoint
CREATE TABLE `apartments` (
	`id` integer PRIMARY KEY NOT NULL,
	`address` integer,
	`label` text NOT NULL,
	FOREIGN KEY (`address`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `api_consumers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`scopes` text NOT NULL,
	`gdpr_access` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`expires_at` text,
	`revoked_at` text,
	CONSTRAINT "api_consumers_gdpr_access" CHECK("api_consumers"."gdpr_access" IN ('none', 'normal', 'extended'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_consumers_key_hash_unique` ON `api_consumers` (`key_hash`);--> statement-breakpoint
CREATE TABLE `customer_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer NOT NULL,
	`consumer_id` integer NOT NULL,
	`request_id` text NOT NULL,
	`at` text NOT NULL,
	`action` text NOT NULL,
	`fields` text NOT NULL,
	FOREIGN KEY (`consumer_id`) REFERENCES `api_consumers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "customer_changes_action" CHECK("customer_changes"."action" IN ('create', 'update', 'delete'))
);
--> statement-breakpoint
CREATE INDEX `customer_changes_customer` ON `customer_changes` (`customer_id`,`id`);--> statement-breakpoint
CREATE TABLE `customer_statuses` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `customer_types` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `customers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_number` text,
	`identification` text,
	`name` text NOT NULL,
	`name_ext` text,
	`email` text,
	`phone` text,
	`phone2` text,
	`two_sms_numbers` integer DEFAULT false NOT NULL,
	`no_sms` integer DEFAULT false NOT NULL,
	`personal_id` text,
	`invoice_name` text,
	`invoice_country` text,
	`country` text,
	`note` text,
	`editable_by_customer` integer DEFAULT false NOT NULL,
	`cooperative_member` integer DEFAULT false NOT NULL,
	`cooperative_date` text,
	`cooperative_reimbursement_date` text,
	`cooperative_sum` text,
	`address` integer,
	`language` integer,
	`restricted_type` integer,
	`status` integer,
	`type` integer,
	`apartment` integer,
	`water_database` integer,
	`modified` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`address`) REFERENCES `addresses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`language`) REFERENCES `languages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`restricted_type`) REFERENCES `restricted_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`status`) REFERENCES `customer_statuses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`type`) REFERENCES `customer_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`apartment`) REFERENCES `apartments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`water_database`) REFERENCES `water_databases`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "customers_cooperative_dates" CHECK("customers"."cooperative_reimbursement_date" IS NULL OR "customers"."cooperative_date" IS NULL OR "customers"."cooperative_reimbursement_date" >= "customers"."cooperative_date")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_customer_number_unique` ON `customers` (`customer_number`);--> statement-breakpoint
CREATE INDEX `customers_modified` ON `customers` (`modified`);--> statement-breakpoint
CREATE INDEX `customers_status` ON `customers` (`status`);--> statement-breakpoint
CREATE INDEX `customers_type` ON `customers` (`type`);--> statement-breakpoint
CREATE INDEX `customers_water_database` ON `customers` (`water_database`);--> statement-breakpoint
CREATE TABLE `languages` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `languages_code_unique` ON `languages` (`code`);--> statement-breakpoint
CREATE TABLE `restricted_types` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`protection_level` text NOT NULL,
	CONSTRAINT "restricted_types_level" CHECK("restricted_types"."protection_level" IN ('normal', 'extended'))
);
--> statement-breakpoint
CREATE TABLE `water_databases` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
