-- A customer updated for the first time since an export's snapshot leaves that export's walk (its
-- seq passes the snapshot). If the walk had not reached the customer's place before the update, the
-- export must still serve it: it is recorded here, in the same statement as the update. Places
-- compare as the walk orders them: (key IS NOT NULL, key, id), reversed for a descending ordering.
CREATE TRIGGER `customers_export_moves` AFTER UPDATE OF `seq` ON `customers` WHEN NEW.`seq` > OLD.`seq` BEGIN
INSERT OR IGNORE INTO `customer_export_moves` (`export_id`, `customer_id`)
  SELECT `e`.`id`, OLD.`id`
  FROM `customer_exports` AS `e`
  JOIN (SELECT 'id' AS `field`, NULL AS `key`
        UNION ALL SELECT 'modified', OLD.`modified`
        UNION ALL SELECT 'customer_number', OLD.`customer_number`) AS `k` ON `k`.`field` = ltrim(`e`.`ordering`, '-')
  WHERE `e`.`walked` = 0 AND OLD.`seq` <= `e`.`snapshot` AND (`e`.`pos_id` IS NULL OR CASE
    WHEN `e`.`ordering` LIKE '-%'
      THEN (`k`.`key` IS NOT NULL, coalesce(`k`.`key`, ''), OLD.`id`) < (`e`.`pos_key` IS NOT NULL, coalesce(`e`.`pos_key`, ''), `e`.`pos_id`)
    ELSE (`k`.`key` IS NOT NULL, coalesce(`k`.`key`, ''), OLD.`id`) > (`e`.`pos_key` IS NOT NULL, coalesce(`e`.`pos_key`, ''), `e`.`pos_id`)
  END);
END;
