import { and, inArray, sql } from "drizzle-orm";
import { auditRow } from "./audit";
import type { Db } from "./client";
import { findCustomer } from "./customers";
import { customers, idempotencyKeys } from "./schema";
import { type IfMatch, ifMatchKind, versionMatches } from "./versions";
import { type Viewer, visibleCustomer } from "./visibility";

/**
 * Erases a customer (GDPR right to erasure) in one atomic batch: the row goes, the copy and the body's
 * hash kept for an Idempotency-Key replay are cleared, and the audit trail, which holds only ids and
 * field names, gets a `delete` entry.
 */
export async function deleteCustomer(
  db: Db,
  { id, viewer, requestId, ifMatch }: { id: number; viewer: Viewer; requestId: string; ifMatch: IfMatch },
): Promise<{ status: "deleted" } | { status: "not_found" } | { status: "precondition_failed" }> {
  const condition = and(visibleCustomer(id, viewer), versionMatches(ifMatchKind(ifMatch), JSON.stringify(ifMatch)));
  const entry = { consumer: viewer.consumerId, requestId, at: new Date().toISOString(), action: "delete", fields: sql`'[]'` } as const;
  const [, , deleted] = await db.batch([
    auditRow(db, entry, condition),
    db
      .update(idempotencyKeys)
      .set({ request_hash: null, response: null })
      .where(inArray(idempotencyKeys.customer_id, db.select({ id: customers.id }).from(customers).where(condition))),
    db.delete(customers).where(condition).returning({ id: customers.id }),
  ]);
  if (deleted.length) return { status: "deleted" };
  const customer = await findCustomer(db, id, viewer);
  return { status: customer ? "precondition_failed" : "not_found" };
}
