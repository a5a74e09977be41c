import { sql } from "drizzle-orm";
import { auditRows } from "./audit";
import type { Db } from "./client";
import { isDatabaseUnavailable } from "./errors";
import { givenFields, itemsAs, itemsJson, type WriteItem } from "./items";
import { checkItems, type ItemFacts } from "./problems";
import { failsBatchIf, prepare, type Statement, statement } from "./raw";
import { decodeCustomer } from "./rows";
import { type Customer, customers, WRITABLE_FIELDS, type WritableField } from "./schema";
import { StatementCache } from "./statement-cache";
import { forbidsLevel, inFeed, isHidden, type Viewer, versionSeenBy, visibleTo } from "./visibility";

// The one write engine of updates: a single PATCH is the update of one item (carrying its If-Match),
// a bulk PATCH of up to 100. Each change is applied in the database itself, `UPDATE … SET <given
// columns> … RETURNING`, never read and written back by the Worker, so concurrent updates of
// different fields all survive; its audit row goes in the same atomic batch, under the same condition.
// Each statement finds its customers by primary key whatever the planner statistics: the items come
// first, and CROSS JOIN keeps that order.

export type UpdateItem = WriteItem & { id: number };

export type UpdateOutcome =
  /** The customers after the write, in request order, and the fields whose value changed. */
  | { status: "updated"; customers: Customer[]; changedFields: WritableField[] }
  /** Nothing was written: what the database tells of each item, in request order. */
  | { status: "refused"; items: ItemFacts[] };

/** What the SQL of an update depends on, and nothing else: the values are bound as the items' JSON. */
type Shape = { fields: WritableField[]; seesHidden: boolean; checksVersions: boolean; returnsAll: boolean };

function compile({ fields, seesHidden, checksVersions, returnsAll }: Shape): Statement[] {
  const items = sql.placeholder("items");
  const viewer = { seesHidden };
  const item = itemsAs("item");
  const checked = itemsAs("checked");
  // An item whose customer is missing or hidden, that gives a protection level the viewer may not give,
  // or whose If-Match is stale, refuses the whole batch; SQLite evaluates this condition, which depends
  // on no row, once before any row.
  const refusals = [
    sql`NOT EXISTS (SELECT 1 FROM ${customers} WHERE ${customers.id} = ${checked.id} AND ${visibleTo(viewer)})`,
    ...(fields.includes("restricted_type")
      ? [sql`(${checked.given("restricted_type")} AND ${forbidsLevel(viewer, checked.value("restricted_type"))})`]
      : []),
    ...(checksVersions
      ? [sql`(SELECT ${checked.stale(versionSeenBy(viewer))} FROM ${customers} WHERE ${customers.id} = ${checked.id})`]
      : []),
  ];
  const guard = sql`(SELECT ${failsBatchIf(sql`EXISTS (SELECT 1 FROM ${checked.from(items)} WHERE ${sql.join(refusals, sql` OR `)})`)}) IS NULL`;
  const changed = sql`(${sql.join(fields.map(item.differs), sql` OR `)})`;
  const hiddenBefore = isHidden(customers.restricted_type);
  const hiddenAfter = fields.includes("restricted_type") ? isHidden(item.merged("restricted_type")) : hiddenBefore;
  // The names of the fields whose value changes, as a JSON array, computed before the update.
  const changedFields = sql`'[' || rtrim(${sql.join(
    fields.map((field) => sql`CASE WHEN ${item.differs(field)} THEN ${sql.raw(`'"${field}",'`)} ELSE '' END`),
    sql` || `,
  )}, ',') || ']'`;
  const now = sql.placeholder("now");
  const audit = auditRows(
    {
      consumer: sql.placeholder("consumer"),
      requestId: sql.placeholder("request"),
      at: now,
      action: "update",
      fields: changedFields,
      hiddenBefore,
      hiddenAfter,
    },
    sql`FROM ${item.from(items)} CROSS JOIN ${customers} ON ${customers.id} = ${item.id}
    WHERE ${guard} AND ${changed}
    ORDER BY ${item.order}
    RETURNING fields`,
  );
  // The update as an upsert of rows that exist: driven by the items, each found by its id whatever the
  // planner statistics (an UPDATE … FROM may scan the table when they say it is small). The proposed
  // row holds the merged values; the conflict on the id turns it into the update of the existing row.
  const merged = ["name", ...fields.filter((field) => field !== "name")] as WritableField[];
  const excluded = (field: WritableField) => sql.raw(`excluded."${field}"`);
  // In DO UPDATE, the table's name qualifies the stored row, `excluded` the proposed one.
  const stored = customers.restricted_type;
  const after = fields.includes("restricted_type") ? excluded("restricted_type") : stored;
  const update = sql`INSERT INTO ${customers} ("id", ${sql.join(
    merged.map((field) => sql.identifier(field)),
    sql`, `,
  )})
    SELECT ${customers.id}, ${sql.join(merged.map(item.merged), sql`, `)}
    FROM ${item.from(items)} CROSS JOIN ${customers} ON ${customers.id} = ${item.id}
    WHERE ${changed}
    ON CONFLICT ("id") DO UPDATE SET ${sql.join(
      fields.map((field) => sql`${sql.identifier(field)} = ${excluded(field)}`),
      sql`, `,
    )}, modified = ${now}, version = version + 1,
      shown_version = shown_version + ${inFeed(isHidden(stored), isHidden(after))}
    RETURNING *`;
  // A bulk update answers every item: the update returns those it changed, this the others.
  const unchanged = sql`SELECT ${customers}.* FROM ${item.from(items)} CROSS JOIN ${customers} ON ${customers.id} = ${item.id}
    WHERE ${customers.modified} IS NOT ${now}`;
  return [audit, update, ...(returnsAll ? [unchanged] : [])].map(statement);
}

const shapes = new StatementCache(compile);

/**
 * Applies every item's changes in ONE atomic D1 batch (one round trip): the audit rows, then the
 * update; a bulk update also reads the customers after it. All applied or none. When the batch is
 * refused, or a single item changes nothing, one more round trip tells why, or reads it.
 */
export async function updateCustomers(
  db: Db,
  { items, viewer, requestId }: { items: UpdateItem[]; viewer: Viewer; requestId: string },
): Promise<UpdateOutcome> {
  const fields = givenFields(items, WRITABLE_FIELDS);
  if (fields.length === 0) return asTheyAre(db, items, viewer);
  const returnsAll = items.length > 1;
  const values = { items: itemsJson(items), consumer: viewer.consumerId, request: requestId, now: new Date().toISOString() };
  const checksVersions = items.some((item) => Array.isArray(item.ifMatch));
  const compiled = shapes.get({ fields, seesHidden: viewer.seesHidden, checksVersions, returnsAll });
  try {
    const d1 = db.$client;
    const [audited, updated, unchanged] = await d1.batch<Record<string, unknown>>(compiled.map((query) => prepare(d1, query, values)));
    const changedFields = [...new Set(audited!.results.flatMap((row) => JSON.parse(row.fields as string) as WritableField[]))];
    const rows = new Map([...updated!.results, ...(unchanged?.results ?? [])].map((row) => [row.id, decodeCustomer(row)]));
    // A single item that changed nothing is read as it is, in one more round trip.
    if (rows.size < items.length) {
      const outcome = await asTheyAre(db, items, viewer);
      return outcome.status === "updated" ? { ...outcome, changedFields } : outcome;
    }
    return { status: "updated", customers: items.map((item) => rows.get(item.id)!), changedFields };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    const facts = await checkItems(db, items, viewer);
    if (!facts.some((fact) => refuses(fact) || fact.problems.length)) throw error;
    return { status: "refused", items: facts };
  }
}

/** An item the batch refuses whatever its values: its customer is missing or hidden, its level forbidden, its If-Match stale. */
const refuses = (fact: ItemFacts) => !fact.found || fact.forbidden || fact.stale;

/** Items that change nothing: refused as the batch would refuse them, else their customers as they are. */
async function asTheyAre(db: Db, items: UpdateItem[], viewer: Viewer): Promise<UpdateOutcome> {
  const facts = await checkItems(db, items, viewer);
  if (facts.some(refuses)) return { status: "refused", items: facts };
  return { status: "updated", customers: facts.map((fact) => fact.customer!), changedFields: [] };
}
