import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Db } from "./client";
import { isDatabaseUnavailable } from "./errors";
import { givenFields } from "./items";
import { checkItems, type ItemFacts } from "./problems";
import { failsBatchIf } from "./raw";
import { IDEMPOTENCY_WINDOW_MS } from "./retention";
import { decodeCustomer, rowAsJson } from "./rows";
import { type Customer, type CustomerChanges, customerChanges, customers, idempotencyKeys, WRITABLE_FIELDS } from "./schema";
import { forbidsLevel, inFeed, isHidden, type Viewer, visibleCustomer } from "./visibility";

export type CreateRequest = {
  values: CustomerChanges & Pick<Customer, "name">;
  viewer: Viewer;
  requestId: string;
  /** SHA-256 of the Idempotency-Key and of the request body. */
  idempotency?: { keyHash: string; requestHash: string } | undefined;
};

export type CreateOutcome =
  | { status: "created"; customer: Customer }
  | { status: "replayed"; customer: Customer | undefined }
  | { status: "key_reused" }
  /** Nothing was written: what the database tells of the values. */
  | { status: "refused"; facts: ItemFacts };

/**
 * Each new id skips a random 0–1023 ids after the largest ever given (AUTOINCREMENT's record, which
 * an erasure never lowers), drawn in the statement that inserts: ids are never reused, and a gap
 * does not tell a customer hidden from a consumer from an id never given (docs/security.md).
 */
export const ID_SKIP_MASK = 1023;
const newId = sql`(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'customers'), 0) + 1 + (random() & ${sql.raw(String(ID_SKIP_MASK))}))`;

/**
 * Creates a customer with its audit row (and, with an Idempotency-Key, the key's record) in one
 * atomic batch. A key already used by this consumer within 24 hours replays the first result: the
 * customer as it was created (unless it has been erased since); with another body it is refused.
 */
export async function createCustomer(db: Db, request: CreateRequest): Promise<CreateOutcome> {
  const { values, viewer, requestId, idempotency } = request;
  const now = new Date().toISOString();
  const cutoff = new Date(Date.now() - IDEMPOTENCY_WINDOW_MS).toISOString();
  if (idempotency) {
    const earlier = await findIdempotentResult(db, viewer, idempotency, cutoff);
    if (earlier) return earlier;
  }
  const hidden = isHidden(values.restricted_type ?? null);
  const insert = db
    .insert(customers)
    .values({ ...values, id: newId, modified: now, shown_version: inFeed(hidden, hidden) })
    .returning();
  // last_insert_rowid() is the new customer's id, then the audit row's (whose customer_id it holds).
  const audit = db.insert(customerChanges).values({
    customer_id: sql`last_insert_rowid()`,
    consumer_id: viewer.consumerId,
    request_id: requestId,
    at: now,
    action: "create",
    fields: JSON.stringify(givenFields([{ changes: values }], WRITABLE_FIELDS)),
    hidden_before: hidden,
    hidden_after: hidden,
    version: 1,
    shown_version: inFeed(hidden, hidden),
  });
  // Only a viewer that sees hidden customers may create one at level `extended`.
  const guard =
    values.restricted_type && !viewer.seesHidden ? [db.run(sql`SELECT ${failsBatchIf(forbidsLevel(viewer, values.restricted_type))}`)] : [];
  const newCustomerId = sql`(SELECT ${customerChanges.customer_id} FROM ${customerChanges} WHERE ${customerChanges.id} = last_insert_rowid())`;
  const keyed = idempotency && [
    // This key's own record, if it has expired and the scheduled purge has not deleted it yet.
    db
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.consumer_id, viewer.consumerId),
          eq(idempotencyKeys.key_hash, idempotency.keyHash),
          lte(idempotencyKeys.created_at, cutoff),
        ),
      ),
    db.insert(idempotencyKeys).values({
      consumer_id: viewer.consumerId,
      key_hash: idempotency.keyHash,
      request_hash: idempotency.requestHash,
      customer_id: newCustomerId,
      created_at: now,
      response: rowAsJson(newCustomerId),
    }),
  ];
  try {
    const results = await db.batch([
      ...guard,
      ...(keyed ? [keyed[0]!] : []),
      insert,
      audit,
      ...(keyed ? [keyed[1]!] : []),
    ] as unknown as Parameters<Db["batch"]>[0]);
    const [customer] = results[guard.length + (keyed ? 1 : 0)] as Customer[];
    return { status: "created", customer: customer! };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    // A concurrent request with the same key won the race: answer as its retry would be answered.
    const earlier = idempotency && (await findIdempotentResult(db, viewer, idempotency, cutoff));
    if (earlier) return earlier;
    const [facts] = await checkItems(db, [{ changes: values }], viewer);
    if (!facts!.forbidden && !facts!.problems.length) throw error;
    return { status: "refused", facts: facts! };
  }
}

async function findIdempotentResult(
  db: Db,
  viewer: Viewer,
  { keyHash, requestHash }: { keyHash: string; requestHash: string },
  cutoff: string,
): Promise<CreateOutcome | undefined> {
  const [earlier] = await db
    .select({
      requestHash: idempotencyKeys.request_hash,
      response: idempotencyKeys.response,
      visible: sql<number>`EXISTS (SELECT 1 FROM ${customers} WHERE ${visibleCustomer(idempotencyKeys.customer_id, viewer)})`,
    })
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.consumer_id, viewer.consumerId),
        eq(idempotencyKeys.key_hash, keyHash),
        gt(idempotencyKeys.created_at, cutoff),
      ),
    );
  if (!earlier) return undefined;
  // Erased since (its hashes are gone) or hidden from this consumer: alike, there is nothing to answer with.
  if (earlier.requestHash === null || !earlier.visible || !earlier.response) return { status: "replayed", customer: undefined };
  if (earlier.requestHash !== requestHash) return { status: "key_reused" };
  return { status: "replayed", customer: decodeCustomer(JSON.parse(earlier.response)) };
}
