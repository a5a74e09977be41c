import { and, inArray, sql } from "drizzle-orm";
import type { Consumer } from "../auth/consumer";
import type { Db } from "./client";
import { auditRow, findCustomer, type IfMatch, ifMatchKind, versionMatches, visibleCustomer } from "./customers";
import { customers, idempotencyKeys } from "./schema";

/**
 * Erases a customer (GDPR right to erasure) in one atomic batch: the row goes, the copy and the body's
 * hash kept for an Idempotency-Key replay are cleared, and the audit trail, which holds only ids and
 * field names, gets a `delete` entry.
 */
export async function deleteCustomer(
  db: Db,
  { id, consumer, requestId, ifMatch }: { id: number; consumer: Consumer; requestId: string; ifMatch: IfMatch },
): Promise<"deleted" | "not_found" | "precondition_failed"> {
  const condition = and(visibleCustomer(id, consumer), versionMatches(ifMatchKind(ifMatch), JSON.stringify(ifMatch)));
  const entry = { consumer: consumer.id, requestId, at: new Date().toISOString(), action: "delete", fields: sql`'[]'` } as const;
  const [, , deleted] = await db.batch([
    auditRow(db, entry, condition),
    db
      .update(idempotencyKeys)
      .set({ request_hash: null, response: null })
      .where(inArray(idempotencyKeys.customer_id, db.select({ id: customers.id }).from(customers).where(condition))),
    db.delete(customers).where(condition).returning({ id: customers.id }),
  ]);
  if (deleted.length) return "deleted";
  const customer = await findCustomer(db, id, consumer);
  return customer ? "precondition_failed" : "not_found";
}
