import { type SQL, sql } from "drizzle-orm";
import { auditRows } from "./audit";
import { compile, type Statement } from "./engine/compile";
import { batch, type Db, failsBatchIf } from "./engine/database";
import { isDatabaseUnavailable } from "./engine/errors";
import { givenFields, itemsAs, itemsJson, type WriteItem } from "./engine/items";
import { decodeCustomer } from "./engine/rows";
import { StatementCache } from "./engine/statement-cache";
import { OVERWRITTEN } from "./overwrite";
import { checkItems, type ItemFacts } from "./problems";
import { type Customer, customers, WRITABLE_FIELDS, type WritableField } from "./schema";
import { forbidsLevel, inFeed, isHidden, type Viewer, versionSeenBy, visibleTo } from "./visibility";

// The one write engine of updates: a single PATCH is the update of one item (carrying its If-Match),
// a bulk PATCH of up to 100. Each change is applied in the database itself, never read and written
// back by the Worker, so concurrent updates of different fields all survive; its audit row goes in
// the same atomic batch, under the same condition; the row's text is overwritten in place before it.
// docs/writes.md walks a write through its SQL.

type UpdateItem = WriteItem & { id: number };

type UpdateOutcome =
  /** The customers after the write, in request order, and the fields whose value changed. */
  | { status: "updated"; customers: Customer[]; changedFields: WritableField[] }
  /** Nothing was written: what the database tells of each item, in request order. */
  | { status: "refused"; items: ItemFacts[] };

/** What the SQL of an update depends on, and nothing else: the values are bound as the items' JSON. */
type Shape = { fields: WritableField[]; seesHidden: boolean; checksVersions: boolean; returnsAll: boolean };

const items = sql.placeholder("items");
const now = sql.placeholder("now");
const item = itemsAs("item");
/** Each item with its customer, found by primary key: CROSS JOIN keeps the items first whatever the planner statistics. */
const itemsWithCustomers = sql`FROM ${item.from(items)} CROSS JOIN ${customers} ON ${customers.id} = ${item.id}`;

/**
 * True, or an error that fails the whole batch: when an item's customer is missing or hidden, when an
 * item gives a protection level the viewer may not give, or when an item's If-Match is stale. It
 * depends on no row, so SQLite evaluates it once, before the first row.
 */
function refusalGuard({ fields, seesHidden, checksVersions }: Shape): SQL {
  const viewer = { seesHidden };
  const checked = itemsAs("checked");
  const forbidden = fields.includes("restricted_type") ? forbidsLevel(viewer, checked.value("restricted_type")) : undefined;
  const refusals = [
    sql`NOT EXISTS (SELECT 1 FROM ${customers} WHERE ${customers.id} = ${checked.id} AND ${visibleTo(viewer)})`,
    ...(forbidden ? [sql`(${checked.given("restricted_type")} AND ${forbidden})`] : []),
    ...(checksVersions
      ? [sql`(SELECT ${checked.stale(versionSeenBy(viewer))} FROM ${customers} WHERE ${customers.id} = ${checked.id})`]
      : []),
  ];
  const refused = sql`EXISTS (SELECT 1 FROM ${checked.from(items)} WHERE ${sql.join(refusals, sql` OR `)})`;
  return sql`(SELECT ${failsBatchIf(refused)}) IS NULL`;
}

/** An item changes its customer: it gives a value that differs from the stored one in some field. */
const changes = (fields: WritableField[]) => sql`(${sql.join(fields.map(item.differs), sql` OR `)})`;

/** The JSON array of the names of the fields whose value an item changes, built before the update. */
const changedFieldNames = (fields: WritableField[]) =>
  sql`'[' || rtrim(${sql.join(
    fields.map((field) => sql`CASE WHEN ${item.differs(field)} THEN ${sql.raw(`'"${field}",'`)} ELSE '' END`),
    sql` || `,
  )}, ',') || ']'`;

/** The audit row of each item that changes its customer, read before the update; it returns the changed fields' names. */
function auditOfChanges(shape: Shape): SQL {
  const { fields } = shape;
  const hiddenBefore = isHidden(customers.restricted_type);
  const hiddenAfter = fields.includes("restricted_type") ? isHidden(item.merged("restricted_type")) : hiddenBefore;
  const entry = {
    consumer: sql.placeholder("consumer"),
    requestId: sql.placeholder("request"),
    at: now,
    action: "update" as const,
    fields: changedFieldNames(fields),
    hiddenBefore,
    hiddenAfter,
  };
  return auditRows(
    entry,
    sql`${itemsWithCustomers} WHERE ${refusalGuard(shape)} AND ${changes(fields)} ORDER BY ${item.order} RETURNING fields`,
    "before the write",
  );
}

const excluded = (field: WritableField) => sql.raw(`excluded."${field}"`);

/**
 * The update: the merged values, and the customer's versions and `modified`; it returns the customers
 * it changed. It is an upsert driven by the items, each customer found by its id whatever the planner
 * statistics (an UPDATE … FROM may scan the table when they say it is small). The proposed row holds
 * the merged value of each written column (`name` always, as its NOT NULL is checked on the proposed
 * row before the conflict turns the insert into the update of the stored row); in the SET, the table's
 * name qualifies the stored row and `excluded` the proposed one. It writes every overwritten column,
 * given or not: a trigger overwrites the row's text in place before it (src/db/triggers.ts), and
 * SQLite keeps the values computed here only for the columns the update sets.
 */
function update({ fields }: Shape): SQL {
  const written = WRITABLE_FIELDS.filter((field) => field === "name" || fields.includes(field) || OVERWRITTEN.includes(field));
  const restrictedTypeAfter = fields.includes("restricted_type") ? excluded("restricted_type") : customers.restricted_type;
  return sql`INSERT INTO ${customers} ("id", ${sql.join(
    written.map((field) => sql.identifier(field)),
    sql`, `,
  )})
    SELECT ${customers.id}, ${sql.join(written.map(item.merged), sql`, `)} ${itemsWithCustomers}
    WHERE ${changes(fields)}
    ON CONFLICT ("id") DO UPDATE SET ${sql.join(
      written.map((field) => sql`${sql.identifier(field)} = ${excluded(field)}`),
      sql`, `,
    )}, modified = ${now}, version = version + 1,
      shown_version = shown_version + ${inFeed(isHidden(customers.restricted_type), isHidden(restrictedTypeAfter))}
    RETURNING *`;
}

/** The customers of the items that changed nothing (a bulk update answers every item; the upsert returns the others). */
const unchangedCustomers = sql`SELECT ${customers}.* ${itemsWithCustomers} WHERE ${customers.modified} IS NOT ${now}`;

/** The statements of a shape, in batch order; the update's rows come back at `updated`. */
const shapes = new StatementCache((shape: Shape): { statements: Statement[]; updated: number } => {
  const statements = [auditOfChanges(shape), update(shape)];
  return { statements: [...statements, ...(shape.returnsAll ? [unchangedCustomers] : [])].map(compile), updated: statements.length - 1 };
});

/**
 * Applies every item's changes in ONE atomic D1 batch (one round trip): the audit rows, then the
 * update; a bulk update also reads the customers after it. All applied or none. When the batch is
 * refused, one more round trip tells why; when a single item changes nothing, one more reads it, unless
 * the caller does not want the customers back (`returning: false`: then none come back).
 */
export async function updateCustomers(
  db: Db,
  { items, viewer, requestId, returning = true }: { items: UpdateItem[]; viewer: Viewer; requestId: string; returning?: boolean },
): Promise<UpdateOutcome> {
  const fields = givenFields(items, WRITABLE_FIELDS);
  if (fields.length === 0) return asTheyAre(db, items, viewer);
  const shape = {
    fields,
    seesHidden: viewer.seesHidden,
    checksVersions: items.some((item) => Array.isArray(item.ifMatch)),
    returnsAll: items.length > 1,
  };
  const values = { items: itemsJson(items), consumer: viewer.consumerId, request: requestId, now: new Date().toISOString() };
  try {
    const { statements, updated: at } = shapes.get(shape);
    const results = await batch(db, statements, values);
    const [audited, updated, unchanged = []] = [results[0], results[at], shape.returnsAll ? results.at(-1) : undefined];
    const changedFields = [...new Set(audited!.flatMap((row) => JSON.parse(row.fields as string) as WritableField[]))];
    const rows = new Map([...updated!, ...unchanged].map((row) => [row.id, decodeCustomer(row)]));
    // A single item that changed nothing (so no audit row, no changed field) is read as it is, in one more round trip.
    if (rows.size < items.length) return returning ? asTheyAre(db, items, viewer) : { status: "updated", customers: [], changedFields: [] };
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
