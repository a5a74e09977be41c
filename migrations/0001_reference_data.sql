-- Reference data with the fixed ids of SPEC §7.
INSERT INTO `restricted_types` (`id`, `name`, `protection_level`) VALUES (1, 'Normal', 'normal'), (2, 'Non-disclosure', 'extended');--> statement-breakpoint
INSERT INTO `languages` (`id`, `code`) VALUES (1, 'fi'), (2, 'sv'), (3, 'en');--> statement-breakpoint
INSERT INTO `customer_statuses` (`id`, `name`) VALUES (1, 'Active'), (2, 'Inactive');--> statement-breakpoint
INSERT INTO `customer_types` (`id`, `name`) VALUES (1, 'Private'), (2, 'Business');
