import { type SQL, sql } from "drizzle-orm";
import { compile } from "./engine/compile";
import { DIMENSIONS } from "./filters";
import { holdsText, keptZeros, overwriteRow } from "./overwrite";
import { changeCounts, customerChanges, customerCounts, customers, releasedCustomerNumbers } from "./schema";
import { inTrail, isHidden } from "./visibility";

// The SQL triggers, written once here beside the schema, from the same pieces as the queries (the
// dimensions, the GDPR policy's SQL). `npm run db:triggers` writes them into a migration, and
// test/schema.test.ts holds the database's triggers against this source, so a table rebuild by
// drizzle-kit (which drops a table's triggers) cannot go unnoticed.

/** SQL text with nothing bound: a trigger takes no parameters. */
function triggerSql(query: SQL): string {
  const { sql: compiled, params } = compile(query);
  if (params.length) throw new Error(`a trigger cannot bind parameters: ${compiled}`);
  return compiled;
}

const list = (items: (SQL | ReturnType<typeof sql.identifier>)[]) => sql.join(items, sql`, `);
/** A column of the row a trigger fires for, NEW or OLD. */
const of = (row: "NEW" | "OLD", column: string) => sql.raw(`${row}."${column}"`);
const dimensionColumns = list(DIMENSIONS.map((name) => sql.identifier(name)));

/** Adds `delta` to the counter of the row's combination of dimensions and GDPR view. */
const countCustomer = (row: "NEW" | "OLD", delta: 1 | -1) =>
  sql`INSERT INTO ${customerCounts} (${dimensionColumns}, "hidden", "n")
  VALUES (${list(DIMENSIONS.map((name) => sql`coalesce(${of(row, name)}, 0)`))}, ${isHidden(of(row, "restricted_type"))}, ${sql.raw(String(delta))})
  ON CONFLICT (${dimensionColumns}, "hidden") DO UPDATE SET "n" = "n" + excluded."n";`;

/** Keeps the number the row held. */
const release = (row: "OLD") =>
  sql`INSERT OR IGNORE INTO ${releasedCustomerNumbers} ("customer_number") VALUES (${of(row, "customer_number")});`;
/** The number the row gives was given up before (a primary-key lookup). */
const isReleased = (row: "NEW") =>
  sql`${of(row, "customer_number")} IS NOT NULL AND EXISTS (SELECT 1 FROM ${releasedCustomerNumbers} WHERE "customer_number" = ${of(row, "customer_number")})`;

/** An entry the trail shows a consumer that does not see hidden customers. */
const shown = (row: "NEW" | "OLD") => inTrail(of(row, "hidden_after"));
const counted = [...DIMENSIONS, "restricted_type"];

/** Every trigger of the database: its name and its CREATE statement. */
export const TRIGGERS: Record<string, string> = {
  customers_counted_insert: triggerSql(sql`CREATE TRIGGER "customers_counted_insert" AFTER INSERT ON ${customers} BEGIN
  ${countCustomer("NEW", 1)}
END`),
  customers_counted_delete: triggerSql(sql`CREATE TRIGGER "customers_counted_delete" AFTER DELETE ON ${customers} BEGIN
  ${countCustomer("OLD", -1)}
END`),
  customers_counted_update:
    triggerSql(sql`CREATE TRIGGER "customers_counted_update" AFTER UPDATE OF ${list(counted.map((name) => sql.identifier(name)))} ON ${customers}
WHEN ${sql.join(
      counted.map((name) => sql`${of("OLD", name)} IS NOT ${of("NEW", name)}`),
      sql` OR `,
    )} BEGIN
  ${countCustomer("OLD", -1)}
  ${countCustomer("NEW", 1)}
END`),
  // A number given up is kept, and none kept may be given again (src/db/schema.ts).
  customer_numbers_released_update:
    triggerSql(sql`CREATE TRIGGER "customer_numbers_released_update" AFTER UPDATE OF "customer_number" ON ${customers}
WHEN OLD."customer_number" IS NOT NULL AND OLD."customer_number" IS NOT NEW."customer_number" BEGIN
  ${release("OLD")}
END`),
  customer_numbers_released_delete: triggerSql(sql`CREATE TRIGGER "customer_numbers_released_delete" AFTER DELETE ON ${customers}
WHEN OLD."customer_number" IS NOT NULL BEGIN
  ${release("OLD")}
END`),
  customer_numbers_not_given_again_insert:
    triggerSql(sql`CREATE TRIGGER "customer_numbers_not_given_again_insert" BEFORE INSERT ON ${customers}
WHEN ${isReleased("NEW")} BEGIN
  SELECT RAISE(ABORT, 'customer number released');
END`),
  customer_numbers_not_given_again_update:
    triggerSql(sql`CREATE TRIGGER "customer_numbers_not_given_again_update" BEFORE UPDATE OF "customer_number" ON ${customers}
WHEN NEW."customer_number" IS NOT OLD."customer_number" AND ${isReleased("NEW")} BEGIN
  SELECT RAISE(ABORT, 'customer number released');
END`),
  // The person's text is overwritten in place before SQLite frees the row's cell: before a delete, and
  // before an update of the update engine (the one statement that sets "version"), which may rewrite
  // the row elsewhere and free the old cell as it was. SQLite computes an UPDATE's SET values before
  // its BEFORE triggers run and reloads only the columns it does not set (its test trigger1-18.0), so
  // the update engine sets every overwritten column, and the check after it refuses one that did not.
  customers_overwritten_before_update:
    triggerSql(sql`CREATE TRIGGER "customers_overwritten_before_update" BEFORE UPDATE OF "version" ON ${customers}
WHEN ${holdsText} BEGIN
  ${overwriteRow}
END`),
  customers_overwritten_kept_nothing:
    triggerSql(sql`CREATE TRIGGER "customers_overwritten_kept_nothing" AFTER UPDATE OF "version" ON ${customers}
WHEN ${keptZeros} BEGIN
  SELECT RAISE(ABORT, 'an update of the version must set every overwritten column');
END`),
  customers_overwritten_before_delete: triggerSql(sql`CREATE TRIGGER "customers_overwritten_before_delete" BEFORE DELETE ON ${customers}
WHEN ${holdsText} BEGIN
  ${overwriteRow}
END`),
  changes_counted_insert: triggerSql(sql`CREATE TRIGGER "changes_counted_insert" AFTER INSERT ON ${customerChanges} BEGIN
  INSERT INTO ${changeCounts} ("customer_id", "n", "shown") VALUES (${of("NEW", "customer_id")}, 1, ${shown("NEW")})
  ON CONFLICT ("customer_id") DO UPDATE SET "n" = "n" + 1, "shown" = "shown" + excluded."shown";
END`),
  changes_counted_delete: triggerSql(sql`CREATE TRIGGER "changes_counted_delete" AFTER DELETE ON ${customerChanges} BEGIN
  UPDATE ${changeCounts} SET "n" = "n" - 1, "shown" = "shown" - ${shown("OLD")} WHERE "customer_id" = ${of("OLD", "customer_id")};
END`),
};

/** The counters the triggers keep, computed afresh from the rows: for a migration that (re)creates them. */
export const RECOUNT = [
  triggerSql(sql`DELETE FROM ${customerCounts}`),
  triggerSql(sql`INSERT INTO ${customerCounts} (${dimensionColumns}, "hidden", "n")
  SELECT ${list(DIMENSIONS.map((name) => sql`coalesce(${sql.identifier(name)}, 0)`))}, ${isHidden(customers.restricted_type)}, count(*)
  FROM ${customers} GROUP BY 1, ${list(DIMENSIONS.map((_, i) => sql.raw(String(i + 2))))}`),
  triggerSql(sql`DELETE FROM ${changeCounts}`),
  triggerSql(sql`INSERT INTO ${changeCounts} ("customer_id", "n", "shown")
  SELECT "customer_id", count(*), sum(${inTrail(customerChanges.hidden_after)}) FROM ${customerChanges} GROUP BY "customer_id"`),
];
