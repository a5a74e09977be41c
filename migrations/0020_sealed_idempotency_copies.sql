-- The record's copy of the created customer is sealed by the Worker from now on (src/customers/idempotency.ts).
-- A record made before keeps no copy: a retry of its POST answers 404, as after an erasure; records last 24 hours.
ALTER TABLE `idempotency_keys` ADD `copy` text;--> statement-breakpoint
ALTER TABLE `idempotency_keys` DROP COLUMN `request_hash`;--> statement-breakpoint
ALTER TABLE `idempotency_keys` DROP COLUMN `response`;