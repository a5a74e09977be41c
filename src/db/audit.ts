import { type SQL, sql } from "drizzle-orm";
import { customerChanges, customers } from "./schema";
import { inFeed } from "./visibility";

/** What an audit row records: who, which request, when, which action, which fields; never values. */
type AuditEntry = {
  consumer: unknown;
  requestId: unknown;
  at: unknown;
  action: "create" | "update" | "delete";
  /** The JSON array of the names of the fields that changed (a value or an expression). */
  fields: unknown;
  /** Whether the customer was at protection level `extended` before and after the write (0 or 1). */
  hiddenBefore: SQL;
  hiddenAfter: SQL;
};

/**
 * The audit rows of a write, `INSERT INTO customer_changes … SELECT … <source>`: one for each customer
 * row that `source` (`FROM … WHERE …`, on `customers`) selects, in the same batch as the write. An
 * update's and an erasure's rows are read before the write, so each entry is numbered after the
 * customer's versions; a creation's row is read after its insert, which numbered it already. Values
 * may be bound values, placeholders or expressions.
 */
export function auditRows(entry: AuditEntry, source: SQL, read: "before the write" | "after the insert") {
  const { consumer, requestId, at, action, fields, hiddenBefore, hiddenAfter } = entry;
  const [version, shownVersion] =
    read === "before the write"
      ? [sql`${customers.version} + 1`, sql`${customers.shown_version} + ${inFeed(hiddenBefore, hiddenAfter)}`]
      : [customers.version, customers.shown_version];
  return sql`INSERT INTO ${customerChanges}
      (customer_id, consumer_id, request_id, at, action, fields, hidden_before, hidden_after, version, shown_version)
    SELECT ${customers.id}, ${consumer}, ${requestId}, ${at}, ${sql.raw(`'${action}'`)}, ${fields}, ${hiddenBefore}, ${hiddenAfter},
      ${version}, ${shownVersion}
    ${source}`;
}
