-- Counters for lists (customer_counts) and audit trails (change_counts), kept by triggers in the
-- same statement as each write, and filled from the rows there are.
INSERT INTO `customer_counts` (`dimension`, `value`, `hidden`, `n`)
  SELECT 'all', 0, `h`, count(*) FROM (SELECT coalesce((SELECT `protection_level` = 'extended' FROM `restricted_types` WHERE `id` = c.`restricted_type`), 0) AS `h` FROM `customers` AS `c`) GROUP BY `h`
  UNION ALL SELECT 'status', `v`, `h`, count(*) FROM (SELECT coalesce(`c`.`status`, 0) AS `v`, coalesce((SELECT `protection_level` = 'extended' FROM `restricted_types` WHERE `id` = c.`restricted_type`), 0) AS `h` FROM `customers` AS `c`) GROUP BY `v`, `h`
  UNION ALL SELECT 'type', `v`, `h`, count(*) FROM (SELECT coalesce(`c`.`type`, 0) AS `v`, coalesce((SELECT `protection_level` = 'extended' FROM `restricted_types` WHERE `id` = c.`restricted_type`), 0) AS `h` FROM `customers` AS `c`) GROUP BY `v`, `h`
  UNION ALL SELECT 'water_database', `v`, `h`, count(*) FROM (SELECT coalesce(`c`.`water_database`, 0) AS `v`, coalesce((SELECT `protection_level` = 'extended' FROM `restricted_types` WHERE `id` = c.`restricted_type`), 0) AS `h` FROM `customers` AS `c`) GROUP BY `v`, `h`;
--> statement-breakpoint
INSERT INTO `change_counts` (`customer_id`, `n`) SELECT `customer_id`, count(*) FROM `customer_changes` GROUP BY `customer_id`;
--> statement-breakpoint
CREATE TRIGGER `customers_counted_insert` AFTER INSERT ON `customers` BEGIN
INSERT INTO `customer_counts` (`dimension`, `value`, `hidden`, `n`)
  SELECT `d`.`dimension`, `d`.`value`, coalesce((SELECT `protection_level` = 'extended' FROM `restricted_types` WHERE `id` = NEW.`restricted_type`), 0), 1
  FROM (SELECT 'all' AS `dimension`, 0 AS `value`
        UNION ALL SELECT 'status', coalesce(NEW.`status`, 0)
        UNION ALL SELECT 'type', coalesce(NEW.`type`, 0)
        UNION ALL SELECT 'water_database', coalesce(NEW.`water_database`, 0)) AS `d`
  WHERE true
  ON CONFLICT (`dimension`, `value`, `hidden`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `customers_counted_delete` AFTER DELETE ON `customers` BEGIN
INSERT INTO `customer_counts` (`dimension`, `value`, `hidden`, `n`)
  SELECT `d`.`dimension`, `d`.`value`, coalesce((SELECT `protection_level` = 'extended' FROM `restricted_types` WHERE `id` = OLD.`restricted_type`), 0), -1
  FROM (SELECT 'all' AS `dimension`, 0 AS `value`
        UNION ALL SELECT 'status', coalesce(OLD.`status`, 0)
        UNION ALL SELECT 'type', coalesce(OLD.`type`, 0)
        UNION ALL SELECT 'water_database', coalesce(OLD.`water_database`, 0)) AS `d`
  WHERE true
  ON CONFLICT (`dimension`, `value`, `hidden`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `customers_counted_update` AFTER UPDATE OF `status`, `type`, `water_database`, `restricted_type` ON `customers`
WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`type` IS NOT NEW.`type` OR OLD.`water_database` IS NOT NEW.`water_database`
  OR OLD.`restricted_type` IS NOT NEW.`restricted_type` BEGIN
INSERT INTO `customer_counts` (`dimension`, `value`, `hidden`, `n`)
  SELECT `d`.`dimension`, `d`.`value`, coalesce((SELECT `protection_level` = 'extended' FROM `restricted_types` WHERE `id` = OLD.`restricted_type`), 0), -1
  FROM (SELECT 'all' AS `dimension`, 0 AS `value`
        UNION ALL SELECT 'status', coalesce(OLD.`status`, 0)
        UNION ALL SELECT 'type', coalesce(OLD.`type`, 0)
        UNION ALL SELECT 'water_database', coalesce(OLD.`water_database`, 0)) AS `d`
  WHERE true
  ON CONFLICT (`dimension`, `value`, `hidden`) DO UPDATE SET `n` = `n` + excluded.`n`;
INSERT INTO `customer_counts` (`dimension`, `value`, `hidden`, `n`)
  SELECT `d`.`dimension`, `d`.`value`, coalesce((SELECT `protection_level` = 'extended' FROM `restricted_types` WHERE `id` = NEW.`restricted_type`), 0), 1
  FROM (SELECT 'all' AS `dimension`, 0 AS `value`
        UNION ALL SELECT 'status', coalesce(NEW.`status`, 0)
        UNION ALL SELECT 'type', coalesce(NEW.`type`, 0)
        UNION ALL SELECT 'water_database', coalesce(NEW.`water_database`, 0)) AS `d`
  WHERE true
  ON CONFLICT (`dimension`, `value`, `hidden`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `changes_counted_insert` AFTER INSERT ON `customer_changes` BEGIN
INSERT INTO `change_counts` (`customer_id`, `n`) VALUES (NEW.`customer_id`, 1)
  ON CONFLICT (`customer_id`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `changes_counted_delete` AFTER DELETE ON `customer_changes` BEGIN
UPDATE `change_counts` SET `n` = `n` - 1 WHERE `customer_id` = OLD.`customer_id`;
END;
