-- Written by npm run db:triggers from src/db/triggers.ts: every trigger, and the counters they keep.
DROP TRIGGER IF EXISTS "customers_counted_insert";--> statement-breakpoint
CREATE TRIGGER "customers_counted_insert" AFTER INSERT ON "customers" BEGIN
  INSERT INTO "customer_counts" ("status", "type", "water_database", "hidden", "n")
  VALUES (coalesce(NEW."status", 0), coalesce(NEW."type", 0), coalesce(NEW."water_database", 0), EXISTS (SELECT 1 FROM "restricted_types" WHERE "restricted_types"."id" = NEW."restricted_type" AND "restricted_types"."protection_level" = 'extended'), 1)
  ON CONFLICT ("status", "type", "water_database", "hidden") DO UPDATE SET "n" = "n" + excluded."n";
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS "customers_counted_delete";--> statement-breakpoint
CREATE TRIGGER "customers_counted_delete" AFTER DELETE ON "customers" BEGIN
  INSERT INTO "customer_counts" ("status", "type", "water_database", "hidden", "n")
  VALUES (coalesce(OLD."status", 0), coalesce(OLD."type", 0), coalesce(OLD."water_database", 0), EXISTS (SELECT 1 FROM "restricted_types" WHERE "restricted_types"."id" = OLD."restricted_type" AND "restricted_types"."protection_level" = 'extended'), -1)
  ON CONFLICT ("status", "type", "water_database", "hidden") DO UPDATE SET "n" = "n" + excluded."n";
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS "customers_counted_update";--> statement-breakpoint
CREATE TRIGGER "customers_counted_update" AFTER UPDATE OF "status", "type", "water_database", "restricted_type" ON "customers"
WHEN OLD."status" IS NOT NEW."status" OR OLD."type" IS NOT NEW."type" OR OLD."water_database" IS NOT NEW."water_database" OR OLD."restricted_type" IS NOT NEW."restricted_type" BEGIN
  INSERT INTO "customer_counts" ("status", "type", "water_database", "hidden", "n")
  VALUES (coalesce(OLD."status", 0), coalesce(OLD."type", 0), coalesce(OLD."water_database", 0), EXISTS (SELECT 1 FROM "restricted_types" WHERE "restricted_types"."id" = OLD."restricted_type" AND "restricted_types"."protection_level" = 'extended'), -1)
  ON CONFLICT ("status", "type", "water_database", "hidden") DO UPDATE SET "n" = "n" + excluded."n";
  INSERT INTO "customer_counts" ("status", "type", "water_database", "hidden", "n")
  VALUES (coalesce(NEW."status", 0), coalesce(NEW."type", 0), coalesce(NEW."water_database", 0), EXISTS (SELECT 1 FROM "restricted_types" WHERE "restricted_types"."id" = NEW."restricted_type" AND "restricted_types"."protection_level" = 'extended'), 1)
  ON CONFLICT ("status", "type", "water_database", "hidden") DO UPDATE SET "n" = "n" + excluded."n";
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS "customer_numbers_released_update";--> statement-breakpoint
CREATE TRIGGER "customer_numbers_released_update" AFTER UPDATE OF "customer_number" ON "customers"
WHEN OLD."customer_number" IS NOT NULL AND OLD."customer_number" IS NOT NEW."customer_number" BEGIN
  INSERT OR IGNORE INTO "released_customer_numbers" ("customer_number") VALUES (OLD."customer_number");
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS "customer_numbers_released_delete";--> statement-breakpoint
CREATE TRIGGER "customer_numbers_released_delete" AFTER DELETE ON "customers"
WHEN OLD."customer_number" IS NOT NULL BEGIN
  INSERT OR IGNORE INTO "released_customer_numbers" ("customer_number") VALUES (OLD."customer_number");
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS "customer_numbers_not_given_again_insert";--> statement-breakpoint
CREATE TRIGGER "customer_numbers_not_given_again_insert" BEFORE INSERT ON "customers"
WHEN NEW."customer_number" IS NOT NULL AND EXISTS (SELECT 1 FROM "released_customer_numbers" WHERE "customer_number" = NEW."customer_number") BEGIN
  SELECT RAISE(ABORT, 'customer number released');
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS "customer_numbers_not_given_again_update";--> statement-breakpoint
CREATE TRIGGER "customer_numbers_not_given_again_update" BEFORE UPDATE OF "customer_number" ON "customers"
WHEN NEW."customer_number" IS NOT OLD."customer_number" AND NEW."customer_number" IS NOT NULL AND EXISTS (SELECT 1 FROM "released_customer_numbers" WHERE "customer_number" = NEW."customer_number") BEGIN
  SELECT RAISE(ABORT, 'customer number released');
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS "customers_overwritten_before_update";--> statement-breakpoint
CREATE TRIGGER "customers_overwritten_before_update" BEFORE UPDATE OF "version" ON "customers"
WHEN coalesce(OLD."identification", OLD."name", OLD."name_ext", OLD."email", OLD."phone", OLD."phone2", OLD."personal_id", OLD."invoice_name", OLD."invoice_country", OLD."country", OLD."note", OLD."cooperative_date", OLD."cooperative_reimbursement_date", OLD."cooperative_sum") IS NOT NULL BEGIN
  UPDATE "customers" SET "identification" = CASE WHEN "identification" IS NOT NULL THEN zeroblob(length(CAST("identification" AS BLOB))) END, "name" = CASE WHEN "name" IS NOT NULL THEN zeroblob(length(CAST("name" AS BLOB))) END, "name_ext" = CASE WHEN "name_ext" IS NOT NULL THEN zeroblob(length(CAST("name_ext" AS BLOB))) END, "email" = CASE WHEN "email" IS NOT NULL THEN zeroblob(length(CAST("email" AS BLOB))) END, "phone" = CASE WHEN "phone" IS NOT NULL THEN zeroblob(length(CAST("phone" AS BLOB))) END, "phone2" = CASE WHEN "phone2" IS NOT NULL THEN zeroblob(length(CAST("phone2" AS BLOB))) END, "personal_id" = CASE WHEN "personal_id" IS NOT NULL THEN zeroblob(length(CAST("personal_id" AS BLOB))) END, "invoice_name" = CASE WHEN "invoice_name" IS NOT NULL THEN zeroblob(length(CAST("invoice_name" AS BLOB))) END, "invoice_country" = CASE WHEN "invoice_country" IS NOT NULL THEN zeroblob(length(CAST("invoice_country" AS BLOB))) END, "country" = CASE WHEN "country" IS NOT NULL THEN zeroblob(length(CAST("country" AS BLOB))) END, "note" = CASE WHEN "note" IS NOT NULL THEN zeroblob(length(CAST("note" AS BLOB))) END, "cooperative_date" = CASE WHEN "cooperative_date" IS NOT NULL THEN zeroblob(length(CAST("cooperative_date" AS BLOB))) END, "cooperative_reimbursement_date" = CASE WHEN "cooperative_reimbursement_date" IS NOT NULL THEN zeroblob(length(CAST("cooperative_reimbursement_date" AS BLOB))) END, "cooperative_sum" = CASE WHEN "cooperative_sum" IS NOT NULL THEN zeroblob(length(CAST("cooperative_sum" AS BLOB))) END WHERE "id" = OLD."id";
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS "customers_overwritten_kept_nothing";--> statement-breakpoint
CREATE TRIGGER "customers_overwritten_kept_nothing" AFTER UPDATE OF "version" ON "customers"
WHEN typeof(NEW."identification") = 'blob' OR typeof(NEW."name") = 'blob' OR typeof(NEW."name_ext") = 'blob' OR typeof(NEW."email") = 'blob' OR typeof(NEW."phone") = 'blob' OR typeof(NEW."phone2") = 'blob' OR typeof(NEW."personal_id") = 'blob' OR typeof(NEW."invoice_name") = 'blob' OR typeof(NEW."invoice_country") = 'blob' OR typeof(NEW."country") = 'blob' OR typeof(NEW."note") = 'blob' OR typeof(NEW."cooperative_date") = 'blob' OR typeof(NEW."cooperative_reimbursement_date") = 'blob' OR typeof(NEW."cooperative_sum") = 'blob' BEGIN
  SELECT RAISE(ABORT, 'an update of the version must set every overwritten column');
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS "customers_overwritten_before_delete";--> statement-breakpoint
CREATE TRIGGER "customers_overwritten_before_delete" BEFORE DELETE ON "customers"
WHEN coalesce(OLD."identification", OLD."name", OLD."name_ext", OLD."email", OLD."phone", OLD."phone2", OLD."personal_id", OLD."invoice_name", OLD."invoice_country", OLD."country", OLD."note", OLD."cooperative_date", OLD."cooperative_reimbursement_date", OLD."cooperative_sum") IS NOT NULL BEGIN
  UPDATE "customers" SET "identification" = CASE WHEN "identification" IS NOT NULL THEN zeroblob(length(CAST("identification" AS BLOB))) END, "name" = CASE WHEN "name" IS NOT NULL THEN zeroblob(length(CAST("name" AS BLOB))) END, "name_ext" = CASE WHEN "name_ext" IS NOT NULL THEN zeroblob(length(CAST("name_ext" AS BLOB))) END, "email" = CASE WHEN "email" IS NOT NULL THEN zeroblob(length(CAST("email" AS BLOB))) END, "phone" = CASE WHEN "phone" IS NOT NULL THEN zeroblob(length(CAST("phone" AS BLOB))) END, "phone2" = CASE WHEN "phone2" IS NOT NULL THEN zeroblob(length(CAST("phone2" AS BLOB))) END, "personal_id" = CASE WHEN "personal_id" IS NOT NULL THEN zeroblob(length(CAST("personal_id" AS BLOB))) END, "invoice_name" = CASE WHEN "invoice_name" IS NOT NULL THEN zeroblob(length(CAST("invoice_name" AS BLOB))) END, "invoice_country" = CASE WHEN "invoice_country" IS NOT NULL THEN zeroblob(length(CAST("invoice_country" AS BLOB))) END, "country" = CASE WHEN "country" IS NOT NULL THEN zeroblob(length(CAST("country" AS BLOB))) END, "note" = CASE WHEN "note" IS NOT NULL THEN zeroblob(length(CAST("note" AS BLOB))) END, "cooperative_date" = CASE WHEN "cooperative_date" IS NOT NULL THEN zeroblob(length(CAST("cooperative_date" AS BLOB))) END, "cooperative_reimbursement_date" = CASE WHEN "cooperative_reimbursement_date" IS NOT NULL THEN zeroblob(length(CAST("cooperative_reimbursement_date" AS BLOB))) END, "cooperative_sum" = CASE WHEN "cooperative_sum" IS NOT NULL THEN zeroblob(length(CAST("cooperative_sum" AS BLOB))) END WHERE "id" = OLD."id";
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS "changes_counted_insert";--> statement-breakpoint
CREATE TRIGGER "changes_counted_insert" AFTER INSERT ON "customer_changes" BEGIN
  INSERT INTO "change_counts" ("customer_id", "n", "shown") VALUES (NEW."customer_id", 1, (NOT NEW."hidden_after"))
  ON CONFLICT ("customer_id") DO UPDATE SET "n" = "n" + 1, "shown" = "shown" + excluded."shown";
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS "changes_counted_delete";--> statement-breakpoint
CREATE TRIGGER "changes_counted_delete" AFTER DELETE ON "customer_changes" BEGIN
  UPDATE "change_counts" SET "n" = "n" - 1, "shown" = "shown" - (NOT OLD."hidden_after") WHERE "customer_id" = OLD."customer_id";
END;--> statement-breakpoint
DELETE FROM "customer_counts";--> statement-breakpoint
INSERT INTO "customer_counts" ("status", "type", "water_database", "hidden", "n")
  SELECT coalesce("status", 0), coalesce("type", 0), coalesce("water_database", 0), EXISTS (SELECT 1 FROM "restricted_types" WHERE "restricted_types"."id" = "customers"."restricted_type" AND "restricted_types"."protection_level" = 'extended'), count(*)
  FROM "customers" GROUP BY 1, 2, 3, 4;--> statement-breakpoint
DELETE FROM "change_counts";--> statement-breakpoint
INSERT INTO "change_counts" ("customer_id", "n", "shown")
  SELECT "customer_id", count(*), sum((NOT "customer_changes"."hidden_after")) FROM "customer_changes" GROUP BY "customer_id";
