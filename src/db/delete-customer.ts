import { and, eq, sql } from "drizzle-orm";
import type { Consumer } from "../auth/consumer";
import type { Db } from "./client";
import { findCustomer, type IfMatch, versionMatches, visibleTo } from "./customers";
import { customerChanges, customers } from "./schema";

/**
 * Erases a customer (GDPR right to erasure): the row goes, and its audit trail, which holds only ids
 * and field names, gets a `delete` entry, in one atomic batch.
 */
export async function deleteCustomer(
  db: Db,
  { id, consumer, requestId, ifMatch }: { id: number; consumer: Consumer; requestId: string; ifMatch: IfMatch },
): Promise<"deleted" | "not_found" | "precondition_failed"> {
  const condition = and(
    eq(customers.id, id),
    visibleTo(consumer),
    versionMatches(ifMatch),
  );
  const [, deleted] = await db.batch([
    db.insert(customerChanges).select(
      db
        .select({
          id: sql`NULL`.as("id"),
          customer_id: customers.id,
          consumer_id: sql`${consumer.id}`.as("consumer_id"),
          request_id: sql`${requestId}`.as("request_id"),
          at: sql`${new Date().toISOString()}`.as("at"),
          action: sql`'delete'`.as("action"),
          fields: sql`'[]'`.as("fields"),
        })
        .from(customers)
        .where(condition),
    ),
    db.delete(customers).where(condition).returning({ id: customers.id }),
  ]);
  if (deleted.length) return "deleted";
  const customer = await findCustomer(db, id, consumer);
  return customer ? "precondition_failed" : "not_found";
}
