import { and, eq, gt, lte, sql } from "drizzle-orm";
import { givenFields } from "./audit";
import type { Db } from "./client";
import { isConstraintError } from "./errors";
import { explainConstraintFailure, type StoredDataProblem } from "./problems";
import { decodeCustomer, rowAsJson } from "./rows";
import { type Customer, type CustomerChanges, customerChanges, customers, idempotencyKeys } from "./schema";
import { isHiddenLevel, levelOf, type Viewer, visibleCustomer } from "./visibility";

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
  | { status: "restricted_type_forbidden" }
  | { status: "invalid"; problems: StoredDataProblem[] };

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

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
  // Only a viewer that sees hidden customers may create one at level `extended` (a rare case).
  if (values.restricted_type && !viewer.seesHidden) {
    const level = await db.get<{ level: string | null }>(sql`SELECT ${levelOf(values.restricted_type)} AS level`);
    if (level.level === "extended") return { status: "restricted_type_forbidden" };
  }
  const insert = db
    .insert(customers)
    .values({ ...values, modified: now })
    .returning();
  // last_insert_rowid() is the new customer's id, then the audit row's (whose customer_id it holds).
  const audit = db.insert(customerChanges).values({
    customer_id: sql`last_insert_rowid()`,
    consumer_id: viewer.consumerId,
    request_id: requestId,
    at: now,
    action: "create",
    fields: JSON.stringify(givenFields(values)),
    hidden_before: isHiddenLevel(values.restricted_type ?? null),
    hidden_after: isHiddenLevel(values.restricted_type ?? null),
  });
  try {
    if (!idempotency) {
      const [[customer]] = await db.batch([insert, audit]);
      return { status: "created", customer: customer! };
    }
    const newCustomerId = sql`(SELECT ${customerChanges.customer_id} FROM ${customerChanges} WHERE ${customerChanges.id} = last_insert_rowid())`;
    const [, [customer]] = await db.batch([
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
      insert,
      audit,
      db.insert(idempotencyKeys).values({
        consumer_id: viewer.consumerId,
        key_hash: idempotency.keyHash,
        request_hash: idempotency.requestHash,
        customer_id: newCustomerId,
        created_at: now,
        response: rowAsJson(newCustomerId),
      }),
    ]);
    return { status: "created", customer: customer! };
  } catch (error) {
    if (!isConstraintError(error)) throw error;
    // A concurrent request with the same key won the race: answer as its retry would be answered.
    const earlier = idempotency && (await findIdempotentResult(db, viewer, idempotency, cutoff));
    if (earlier) return earlier;
    const problems = await explainConstraintFailure(db, { id: undefined, viewer }, values, error);
    if (problems) return { status: "invalid", problems };
    throw error;
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
      visible: sql<number>`EXISTS ${db.select({ one: sql`1` }).from(customers).where(visibleCustomer(idempotencyKeys.customer_id, viewer))}`,
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
