CREATE TABLE `released_customer_numbers` (
	`customer_number` text PRIMARY KEY NOT NULL
);
