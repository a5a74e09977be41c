import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import { isDatabaseUnavailable } from "./errors";
import { latestChange } from "./exports";
import { REFERENCES, type StoredDataProblem } from "./problems";
import { prepare, statement } from "./raw";
import { columns, decodeCustomer } from "./rows";
import { type Customer, type CustomerChanges, customerChanges, customers, WRITABLE_FIELDS, type WritableField } from "./schema";
import { isHiddenLevel, levelOf, type Viewer, visibleTo } from "./visibility";

/** One item of a bulk update: the customer's id and the fields to change. */
export type BulkItem = { id: number; changes: CustomerChanges };

export type BulkOutcome =
  | { status: "updated"; customers: Customer[]; changedFields: WritableField[] }
  | { status: "restricted_type_forbidden" }
  /** Per item, in request order: an id that does not exist (or is hidden), or what only the database can tell. */
  | { status: "invalid"; items: { missing: boolean; problems: StoredDataProblem[] }[] };

// The items travel as one JSON array, bound once per statement: the statements are the same four
// whatever the number of items, and none binds more than a few parameters (D1 allows 100). Field
// names and JSON paths are the schema's own, written into the SQL.
const item = sql.raw("item.value");
const path = (field: string) => sql.raw(`'$.${field}'`);
const given = (field: WritableField) => sql`(json_type(${item}, ${path(field)}) IS NOT NULL)`;
const itemValue = (field: string) => sql`json_extract(${item}, ${path(field)})`;
const differs = (field: WritableField) => sql`(${given(field)} AND ${columns[field]} IS NOT ${itemValue(field)})`;
const fromItems = (itemsJson: string) => sql`json_each(${itemsJson}) AS item`;
const itsCustomer = sql`${customers.id} = ${itemValue("id")}`;
/** The item gives a restricted type at level `extended`, which only a viewer that sees hidden customers may. */
const forbidsLevel = (viewer: Viewer) =>
  viewer.seesHidden ? sql`0` : sql`(${given("restricted_type")} AND ${levelOf(itemValue("restricted_type"))} IS 'extended')`;

/**
 * Applies every item's changes in ONE atomic D1 batch (one round trip): a guard that fails the whole
 * batch when an id is missing or hidden or a forbidden protection level is given, the audit rows, one
 * `UPDATE … FROM json_each(…)` that sets only each item's given columns on the rows where a value
 * changes, and the customers after it in request order. All applied or none. When the batch is refused,
 * one more round trip finds out which item failed and why.
 */
export async function bulkUpdate(
  db: Db,
  { items, viewer, requestId }: { items: BulkItem[]; viewer: Viewer; requestId: string },
): Promise<BulkOutcome> {
  const fields = WRITABLE_FIELDS.filter((field) => items.some((entry) => entry.changes[field] !== undefined));
  const itemsJson = JSON.stringify(
    items.map(({ id, changes }) => ({
      id,
      ...Object.fromEntries(
        fields.filter((field) => changes[field] !== undefined).map((field) => [field, driverValue(field, changes[field])]),
      ),
    })),
  );
  const visible = visibleTo(viewer);
  const changed = fields.length ? sql.join(fields.map(differs), sql` OR `) : sql`0`;
  const restrictedTypeAfter = fields.includes("restricted_type")
    ? sql`CASE WHEN ${given("restricted_type")} THEN ${itemValue("restricted_type")} ELSE ${customers.restricted_type} END`
    : customers.restricted_type;
  const now = new Date().toISOString();

  // json('refused') is an error: the batch stops there and nothing of it is applied.
  const guard = statement(sql`SELECT CASE WHEN EXISTS (
      SELECT 1 FROM ${fromItems(itemsJson)}
      WHERE ${forbidsLevel(viewer)} OR NOT EXISTS (SELECT 1 FROM ${customers} WHERE ${itsCustomer} AND ${visible})
    ) THEN json('refused') END`);
  const changedFields = sql`(SELECT json_group_array(value) FROM json_each(json_array(${sql.join(
    fields.map((field) => sql`CASE WHEN ${differs(field)} THEN ${sql.raw(`'${field}'`)} END`),
    sql`, `,
  )})) WHERE value IS NOT NULL)`;
  const audit = statement(sql`INSERT INTO ${customerChanges}
      (customer_id, consumer_id, request_id, at, action, fields, hidden_before, hidden_after)
    SELECT ${customers.id}, ${viewer.consumerId}, ${requestId}, ${now}, 'update', ${changedFields},
      ${isHiddenLevel(customers.restricted_type)}, ${isHiddenLevel(restrictedTypeAfter)}
    FROM ${fromItems(itemsJson)} JOIN ${customers} ON ${itsCustomer}
    WHERE ${visible} AND (${changed})
    ORDER BY item.key
    RETURNING fields`);
  const update = statement(sql`UPDATE ${customers} SET ${sql.join(
    fields.map((field) => sql`${sql.identifier(field)} = CASE WHEN ${given(field)} THEN ${itemValue(field)} ELSE ${columns[field]} END`),
    sql`, `,
  )}${fields.length ? sql`, ` : sql``}modified = ${now}, version = ${customers.version} + 1, seq = ${latestChange}
    FROM ${fromItems(itemsJson)}
    WHERE ${itsCustomer} AND ${visible} AND (${changed})`);
  const after = statement(sql`SELECT ${customers}.* FROM ${fromItems(itemsJson)} JOIN ${customers} ON ${itsCustomer} ORDER BY item.key`);

  try {
    const d1 = db.$client;
    const [, audited, , rows] = await d1.batch<Record<string, unknown>>([guard, audit, update, after].map((query) => prepare(d1, query)));
    const changedNames = new Set(audited!.results.flatMap((row) => JSON.parse(row.fields as string) as WritableField[]));
    return { status: "updated", customers: rows!.results.map(decodeCustomer), changedFields: [...changedNames] };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    const explained = await explainRefusal(db, itemsJson, fields, viewer);
    if (!explained) throw error;
    return explained;
  }
}

function driverValue(field: WritableField, value: unknown) {
  return value === null ? null : (columns[field].mapToDriverValue(value) as unknown);
}

/**
 * Why a bulk batch was refused, item by item, in one query: ids that do not exist for this viewer, a
 * forbidden protection level, references to missing rows, customer numbers held by another customer,
 * and the cooperative dates of the merged record. Undefined when none of these explains it.
 */
async function explainRefusal(db: Db, itemsJson: string, fields: WritableField[], viewer: Viewer): Promise<BulkOutcome | undefined> {
  const visible = visibleTo(viewer);
  const merged = (field: WritableField) =>
    fields.includes(field) ? sql`CASE WHEN ${given(field)} THEN ${itemValue(field)} ELSE ${columns[field]} END` : columns[field];
  const checks: [string, SQL][] = [];
  for (const [field, table] of REFERENCES) {
    if (!fields.includes(field as WritableField)) continue;
    const { id: key } = getTableColumns(table) as { id: SQLiteColumn };
    checks.push([
      field,
      sql`(json_type(${item}, ${path(field)}) = 'integer' AND NOT EXISTS (SELECT 1 FROM ${table} WHERE ${key} = ${itemValue(field)}))`,
    ]);
  }
  if (fields.includes("customer_number")) {
    // Held by another customer: 1 when the viewer sees it, 2 when it does not; the item's own customer
    // is excluded only when the viewer sees it (src/db/problems.ts).
    checks.push([
      "customer_number",
      sql`(SELECT CASE WHEN ${visible} THEN 1 ELSE 2 END FROM ${customers}
        WHERE json_type(${item}, ${path("customer_number")}) = 'text' AND ${customers.customer_number} = ${itemValue("customer_number")}
          AND NOT (${itsCustomer} AND ${visible}) LIMIT 1)`,
    ]);
  }
  const rows = await db.all<Record<string, number | null>>(sql`SELECT
      EXISTS (SELECT 1 FROM ${customers} WHERE ${itsCustomer} AND ${visible}) AS found,
      ${forbidsLevel(viewer)} AS forbidden,
      (SELECT ${merged("cooperative_reimbursement_date")} < ${merged("cooperative_date")} FROM ${customers} WHERE ${itsCustomer}) AS dates
      ${sql.join(
        checks.map(([name, check]) => sql`, ${check} AS ${sql.identifier(name)}`),
        sql``,
      )}
    FROM ${fromItems(itemsJson)} ORDER BY item.key`);
  if (rows.some((row) => row.forbidden)) return { status: "restricted_type_forbidden" };
  const explained = rows.map((row) => {
    const problems: StoredDataProblem[] = [];
    for (const [name] of checks) {
      if (!row[name]) continue;
      if (name === "customer_number") problems.push({ field: name, problem: row[name] === 1 ? "taken" : "unavailable" });
      else problems.push({ field: name as WritableField, problem: "missing" });
    }
    if (row.dates) problems.push({ field: "cooperative_dates", problem: "reimbursed_before_joining" });
    return { missing: !row.found, problems };
  });
  return explained.some((entry) => entry.missing || entry.problems.length) ? { status: "invalid", items: explained } : undefined;
}
