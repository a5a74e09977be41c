import { type SQL, sql } from "drizzle-orm";
import type { Db } from "./client";
import { type CustomerChanges, customerChanges, customers, WRITABLE_FIELDS } from "./schema";
import { isHiddenLevel } from "./visibility";

/**
 * The audit row of a write, as `INSERT INTO customer_changes … SELECT … FROM customers WHERE
 * <condition>`: it exists only if the write's own condition selects the customer, and it goes in the
 * same batch as the write. Values may be bound values or placeholders.
 */
export function auditRow(
  db: Db,
  entry: {
    consumer: unknown;
    requestId: unknown;
    at: unknown;
    action: "update" | "delete";
    fields: SQL;
    /** The restricted type after the write, when it changes it (a value, placeholder or expression). */
    restrictedTypeAfter?: unknown;
  },
  condition: SQL | undefined,
) {
  return db.insert(customerChanges).select(
    db
      .select({
        id: sql`NULL`.as("id"),
        customer_id: customers.id,
        consumer_id: sql`${entry.consumer}`.as("consumer_id"),
        request_id: sql`${entry.requestId}`.as("request_id"),
        at: sql`${entry.at}`.as("at"),
        action: sql.raw(`'${entry.action}'`).as("action"),
        fields: entry.fields.as("fields"),
        hidden_before: isHiddenLevel(customers.restricted_type).as("hidden_before"),
        hidden_after: isHiddenLevel(entry.restrictedTypeAfter ?? customers.restricted_type).as("hidden_after"),
      })
      .from(customers)
      .where(condition),
  );
}

/** The fields a write gives, in table order (which also keeps the compiled-statement cache small). */
export const givenFields = (values: CustomerChanges) => WRITABLE_FIELDS.filter((field) => values[field] !== undefined);
