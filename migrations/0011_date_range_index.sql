DROP INDEX `customers_modified`;--> statement-breakpoint
CREATE INDEX `customers_modified_covering` ON `customers` (`modified`,`id`,`customer_number`,`restricted_type`);