import { and, eq, getTableColumns, gt, lte, type SQL, sql } from "drizzle-orm";
import { auditRows } from "./audit";
import { batch, type Db, failsBatchIf, query } from "./engine/database";
import { isDatabaseUnavailable } from "./engine/errors";
import { givenFields } from "./engine/items";
import { columns, decodeCustomer } from "./engine/rows";
import { checkItems, type ItemFacts } from "./problems";
import { IDEMPOTENCY_WINDOW_MS } from "./retention";
import { type Customer, type CustomerChanges, customerChanges, customers, idempotencyKeys, WRITABLE_FIELDS } from "./schema";
import { forbidsLevel, inFeed, isHidden, type Viewer, visibleCustomer } from "./visibility";

/** An Idempotency-Key: its SHA-256, and the copy its record keeps of the creation (sealed by the caller). */
type Idempotency = { keyHash: string; copy: string };

type CreateRequest = {
  values: CustomerChanges & Pick<Customer, "name">;
  viewer: Viewer;
  requestId: string;
  /** When the customer is created: its `modified`. */
  now: string;
  idempotency?: Idempotency | undefined;
};

/** A record of the same key within 24 hours: its copy (null once erased), and whether the viewer sees its customer. */
export type EarlierCreation = { copy: string | null; customerId: number; visible: boolean };

type CreateOutcome =
  | { status: "created"; customer: Customer }
  | ({ status: "earlier" } & EarlierCreation)
  /** Nothing was written: what the database tells of the values. */
  | { status: "refused"; facts: ItemFacts };

/**
 * Each new id skips a random 0–1023 ids after the largest ever given (AUTOINCREMENT's record, which
 * an erasure never lowers), drawn in the statement that inserts: ids are never reused, and a gap
 * does not tell a customer hidden from a consumer from an id never given (docs/security.md).
 */
const ID_SKIP_MASK = 1023;
export const NEW_CUSTOMER_ID = sql`(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'customers'), 0) + 1 + (random() & ${sql.raw(String(ID_SKIP_MASK))}))`;

/** The customer's row as the insert stores it, but its id and versions: the given values, the columns' defaults for the rest. */
export function rowAsCreated(values: CreateRequest["values"], now: string) {
  const row: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(getTableColumns(customers))) {
    if (!["id", "version", "shown_version"].includes(name))
      row[name] = column.hasDefault && typeof column.default !== "object" ? column.default : null;
  }
  return { ...row, ...values, modified: now };
}

/** The new customer's row, its id drawn by SQLite; it returns the row. */
function insertCustomer(values: CreateRequest["values"], now: string): SQL {
  const given = (Object.keys(values) as (keyof typeof values)[]).filter((field) => values[field] !== undefined);
  const value = (field: (typeof given)[number]) => (values[field] === null ? null : columns[field].mapToDriverValue(values[field]));
  const hidden = isHidden(values.restricted_type ?? null);
  return sql`INSERT INTO ${customers} (${sql.join(
    [...given, "id", "modified", "shown_version"].map((field) => sql.identifier(field)),
    sql`, `,
  )})
    VALUES (${sql.join([...given.map((field) => sql`${value(field)}`), NEW_CUSTOMER_ID, sql`${now}`, inFeed(hidden, hidden)], sql`, `)})
    RETURNING *`;
}

/** The creation's audit row, read after the insert: last_insert_rowid() is then the new customer's id. */
function auditOfCreation({ values, viewer, requestId }: CreateRequest, now: string): SQL {
  const hidden = isHidden(values.restricted_type ?? null);
  const fields = JSON.stringify(givenFields([{ changes: values }], WRITABLE_FIELDS));
  return auditRows(
    { consumer: viewer.consumerId, requestId, at: now, action: "create", fields, hiddenBefore: hidden, hiddenAfter: hidden },
    sql`FROM ${customers} WHERE ${customers.id} = last_insert_rowid()`,
    "after the insert",
  );
}

/**
 * The key's record, after the audit row (whose customer_id then names the new customer), with its
 * copy of the creation; first this consumer's expired record of the same key, if the scheduled purge
 * has not deleted it yet.
 */
function recordOfKey(viewer: Viewer, { keyHash, copy }: Idempotency, now: string, cutoff: string): SQL[] {
  const newCustomerId = sql`(SELECT ${customerChanges.customer_id} FROM ${customerChanges} WHERE ${customerChanges.id} = last_insert_rowid())`;
  const own = and(eq(idempotencyKeys.consumer_id, viewer.consumerId), eq(idempotencyKeys.key_hash, keyHash));
  return [
    sql`DELETE FROM ${idempotencyKeys} WHERE ${and(own, lte(idempotencyKeys.created_at, cutoff))}`,
    sql`INSERT INTO ${idempotencyKeys} (consumer_id, key_hash, customer_id, created_at, copy)
      VALUES (${viewer.consumerId}, ${keyHash}, ${newCustomerId}, ${now}, ${copy})`,
  ];
}

/** A creation at a protection level the viewer may not give fails its whole batch. */
function levelGuard({ values, viewer }: CreateRequest): SQL[] {
  const forbidden = values.restricted_type ? forbidsLevel(viewer, values.restricted_type) : undefined;
  return forbidden ? [sql`SELECT ${failsBatchIf(forbidden)}`] : [];
}

/**
 * Creates a customer with its audit row (and, with an Idempotency-Key, the key's record) in one
 * atomic batch, the new customer first. A key already used by this consumer within 24 hours is not
 * used again: its record comes back, for the caller to replay the first result or refuse.
 */
export async function createCustomer(db: Db, request: CreateRequest): Promise<CreateOutcome> {
  const { viewer, idempotency, now } = request;
  const cutoff = new Date(Date.now() - IDEMPOTENCY_WINDOW_MS).toISOString();
  if (idempotency) {
    const earlier = await findEarlierCreation(db, viewer, idempotency.keyHash, cutoff);
    if (earlier) return { status: "earlier", ...earlier };
  }
  const statements = [
    insertCustomer(request.values, now),
    auditOfCreation(request, now),
    ...(idempotency ? recordOfKey(viewer, idempotency, now, cutoff) : []),
    ...levelGuard(request),
  ];
  try {
    const [inserted] = await batch(db, statements);
    return { status: "created", customer: decodeCustomer(inserted![0]!) };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    return explainRefusal(db, request, cutoff, error);
  }
}

/** Why a creation's batch failed: a concurrent request with the same key won the race, or the values; else the error is ours. */
async function explainRefusal(
  db: Db,
  { values, viewer, idempotency }: CreateRequest,
  cutoff: string,
  error: unknown,
): Promise<CreateOutcome> {
  // The winner of a race with the same key: answer as its retry would be answered.
  const earlier = idempotency && (await findEarlierCreation(db, viewer, idempotency.keyHash, cutoff));
  if (earlier) return { status: "earlier", ...earlier };
  const [facts] = await checkItems(db, [{ changes: values }], viewer);
  if (!facts!.forbidden && !facts!.problems.length) throw error;
  return { status: "refused", facts: facts! };
}

/** This consumer's record of the key, if made within 24 hours; whether its customer is visible, as the viewer sees it. */
async function findEarlierCreation(db: Db, viewer: Viewer, keyHash: string, cutoff: string): Promise<EarlierCreation | undefined> {
  const [earlier] = await query(
    db,
    sql`SELECT ${idempotencyKeys.copy} AS copy, ${idempotencyKeys.customer_id} AS customer_id,
      EXISTS (SELECT 1 FROM ${customers} WHERE ${visibleCustomer(idempotencyKeys.customer_id, viewer)}) AS visible
    FROM ${idempotencyKeys} WHERE ${and(
      eq(idempotencyKeys.consumer_id, viewer.consumerId),
      eq(idempotencyKeys.key_hash, keyHash),
      gt(idempotencyKeys.created_at, cutoff),
    )}`,
  );
  return earlier && { copy: earlier.copy as string | null, customerId: Number(earlier.customer_id), visible: Boolean(earlier.visible) };
}
