import { getTableColumns, type SQL, sql } from "drizzle-orm";
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { type Db, query } from "./engine/database";
import { givenFields, itemsAs, itemsJson, type WriteItem } from "./engine/items";
import { decodeCustomer } from "./engine/rows";
import { type Customer, customers, releasedCustomerNumbers, WRITABLE_FIELDS, type WritableField } from "./schema";
import { forbidsLevel, type Viewer, versionSeenBy, visibleTo } from "./visibility";

/** Each foreign-key column of customers and the table it points to, read from the Drizzle schema. */
export const REFERENCES = new Map<WritableField, SQLiteTable>(
  getTableConfig(customers).foreignKeys.map((fk) => {
    const {
      columns: [column],
      foreignTable,
    } = fk.reference();
    return [column!.name as WritableField, foreignTable];
  }),
);

/**
 * What is wrong with the values of an item that only the database can tell: a reference to a row
 * that does not exist, a customer number that a customer the viewer sees already has (`taken`) or that
 * one it cannot see has or one gave up (`unavailable`), or the rule across the cooperative dates of the
 * merged record. Facts, not messages.
 */
export type StoredDataProblem =
  | { field: WritableField; problem: "missing" }
  | { field: "customer_number"; problem: "taken" | "unavailable" }
  | { field: "cooperative_dates"; problem: "reimbursed_before_joining" };

/**
 * What the database tells of one item of a write, in request order: whether its customer exists for
 * the viewer (`found`; always false for a creation), whether it gives a protection level the viewer
 * may not give, whether its If-Match is stale, and its stored-data problems (the dates rule only when
 * every field passes, as DRF's validate() runs after the fields); and its customer as it is.
 */
export type ItemFacts = {
  found: boolean;
  forbidden: boolean;
  stale: boolean;
  problems: StoredDataProblem[];
  customer?: Customer | undefined;
};

const item = itemsAs("item");

/**
 * The checks on the values the items give, as columns of one query: a reference to a row that does not
 * exist, or a customer number held by another customer (1 if the viewer sees that one, 2 if not).
 */
function fieldChecks(fields: WritableField[], viewer: Viewer): [WritableField, SQL][] {
  const checks: [WritableField, SQL][] = [];
  for (const field of fields) {
    const table = REFERENCES.get(field);
    if (!table) continue;
    const { id: key } = getTableColumns(table) as { id: SQLiteColumn };
    checks.push([
      field,
      sql`(${item.typeOf(field)} = 'integer' AND NOT EXISTS (SELECT 1 FROM ${table} WHERE ${key} = ${item.value(field)}))`,
    ]);
  }
  if (fields.includes("customer_number")) {
    // A number given up before (src/db/triggers.ts) answers as one a hidden customer holds.
    const holder = sql.raw('"holder"');
    const number = item.value("customer_number");
    checks.push([
      "customer_number",
      sql`CASE WHEN ${item.typeOf("customer_number")} = 'text' THEN coalesce(
        (SELECT CASE WHEN ${visibleTo(viewer, sql`${holder}."restricted_type"`)} THEN 1 ELSE 2 END
          FROM ${customers} AS ${holder} WHERE ${holder}."customer_number" = ${number} AND ${holder}."id" IS NOT ${customers.id} LIMIT 1),
        (SELECT 2 FROM ${releasedCustomerNumbers} WHERE ${releasedCustomerNumbers.customer_number} = ${number})) END`,
    ]);
  }
  return checks;
}

/** The problems a row of facts tells; the dates rule only when every field passes, as DRF's validate() runs after the fields. */
function problemsOf(row: Record<string, unknown>, checks: [WritableField, SQL][]): StoredDataProblem[] {
  const problems: StoredDataProblem[] = [];
  for (const [field] of checks) {
    const found = row[`fact_${field}`];
    if (!found) continue;
    if (field === "customer_number") problems.push({ field, problem: found === 1 ? "taken" : "unavailable" });
    else problems.push({ field, problem: "missing" });
  }
  if (problems.length === 0 && row.fact_dates) problems.push({ field: "cooperative_dates", problem: "reimbursed_before_joining" });
  return problems;
}

/**
 * The one set of database checks, for creations, updates and refused writes alike: every item in one
 * query, whatever the number of items and fields. A customer hidden from the viewer is an id like one
 * that never existed, and keeps its own customer number only for viewers that see it.
 */
export async function checkItems(db: Db, items: WriteItem[], viewer: Viewer): Promise<ItemFacts[]> {
  const fields = givenFields(items, WRITABLE_FIELDS);
  const checks = fieldChecks(fields, viewer);
  const forbidsGiven = fields.includes("restricted_type") ? forbidsLevel(viewer, item.value("restricted_type")) : undefined;
  const forbidden = forbidsGiven ? sql`${item.given("restricted_type")} AND ${forbidsGiven}` : sql`0`;
  const rows = await query(
    db,
    sql`SELECT ${customers}.*,
      ${forbidden} AS fact_forbidden,
      ${item.stale(versionSeenBy(viewer))} AS fact_stale,
      ${item.merged("cooperative_reimbursement_date")} < ${item.merged("cooperative_date")} AS fact_dates
      ${sql.join(
        checks.map(([field, check]) => sql`, ${check} AS ${sql.identifier(`fact_${field}`)}`),
        sql``,
      )}
    FROM ${item.from(itemsJson(items))} LEFT JOIN ${customers} ON ${customers.id} = ${item.id} AND ${visibleTo(viewer)}
    ORDER BY ${item.order}`,
  );
  return rows.map((row) => {
    const customer = row.id === null ? undefined : decodeCustomer(row);
    return {
      found: Boolean(customer),
      forbidden: Boolean(row.fact_forbidden),
      stale: Boolean(row.fact_stale),
      problems: problemsOf(row, checks),
      customer,
    };
  });
}
