-- Audit entries are numbered per customer (their trail's numbers) instead of by their global id: the
-- entries written before this migration in the order they were written, each view of the GDPR policy
-- counting the entries it is shown. A customer's shown version starts equal to its version.
WITH `numbered` AS (
  SELECT `id`,
    row_number() OVER (PARTITION BY `customer_id` ORDER BY `id`) AS `version`,
    sum(NOT (`hidden_before` AND `hidden_after`)) OVER (PARTITION BY `customer_id` ORDER BY `id`) AS `shown_version`
  FROM `customer_changes`
)
UPDATE `customer_changes` SET `version` = `numbered`.`version`, `shown_version` = `numbered`.`shown_version`
FROM `numbered` WHERE `numbered`.`id` = `customer_changes`.`id`;--> statement-breakpoint
UPDATE `customers` SET `shown_version` = `version`;
