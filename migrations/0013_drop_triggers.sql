-- The triggers that referred to columns and tables the next migrations drop or reshape (the export
-- moves read customers.seq; the counters change shape). Their successors come from
-- src/db/triggers.ts in 0017.
DROP TRIGGER IF EXISTS `customers_export_moves`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `customers_counted_insert`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `customers_counted_delete`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `customers_counted_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `changes_counted_insert`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `changes_counted_delete`;
