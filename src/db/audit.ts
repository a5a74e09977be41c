import { type SQL, sql } from "drizzle-orm";
import { customerChanges, customers } from "./schema";
import { inFeed } from "./visibility";

/**
 * The audit rows of an update or an erasure, `INSERT INTO customer_changes … SELECT … <source>`: one
 * for each customer row that `source` (`FROM … WHERE …`, on `customers`) selects, in the same batch as
 * the write. Each is numbered in its customer's trail: after its version, and after its shown version
 * when the feed shows it. Values may be bound values, placeholders or expressions.
 */
export function auditRows(
  entry: {
    consumer: unknown;
    requestId: unknown;
    at: unknown;
    action: "update" | "delete";
    fields: unknown;
    hiddenBefore: SQL;
    hiddenAfter: SQL;
  },
  source: SQL,
) {
  const { consumer, requestId, at, action, fields, hiddenBefore, hiddenAfter } = entry;
  return sql`INSERT INTO ${customerChanges}
      (customer_id, consumer_id, request_id, at, action, fields, hidden_before, hidden_after, version, shown_version)
    SELECT ${customers.id}, ${consumer}, ${requestId}, ${at}, ${sql.raw(`'${action}'`)}, ${fields}, ${hiddenBefore}, ${hiddenAfter},
      ${customers.version} + 1, ${customers.shown_version} + ${inFeed(hiddenBefore, hiddenAfter)}
    ${source}`;
}
