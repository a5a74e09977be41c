DROP TABLE `customer_counts`;--> statement-breakpoint
DROP TABLE `customer_export_moves`;--> statement-breakpoint
DROP TABLE `customer_exports`;--> statement-breakpoint
DROP INDEX `customers_status`;--> statement-breakpoint
DROP INDEX `customers_type`;--> statement-breakpoint
DROP INDEX `customers_water_database`;--> statement-breakpoint
DROP INDEX `customers_status_modified`;--> statement-breakpoint
DROP INDEX `customers_type_modified`;--> statement-breakpoint
DROP INDEX `customers_water_database_modified`;--> statement-breakpoint
DROP INDEX `customers_status_number`;--> statement-breakpoint
DROP INDEX `customers_type_number`;--> statement-breakpoint
DROP INDEX `customers_water_database_number`;--> statement-breakpoint
ALTER TABLE `customers` DROP COLUMN `seq`;