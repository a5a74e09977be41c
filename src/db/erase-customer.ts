import { getTableName, type SQL, sql } from "drizzle-orm";
import { auditRows } from "./audit";
import { batch, type Db, query } from "./engine/database";
import type { IfMatch } from "./engine/items";
import { zeroedRecord } from "./overwrite";
import { customers, idempotencyKeys } from "./schema";
import { isHidden, type Viewer, versionSeenBy, visibleCustomer } from "./visibility";

/** The customer's idempotency records, read through their customer's index whatever the planner statistics. */
const records = sql`${idempotencyKeys} INDEXED BY ${sql.identifier(`${getTableName(idempotencyKeys)}_customer`)}`;

/** The statements of an erasure, each under `condition` (the customer, visible to the viewer, at a matching version). */
function erasure(id: number, condition: SQL, { consumerId }: Viewer, requestId: string): SQL[] {
  const hidden = isHidden(customers.restricted_type);
  const erasable = sql`EXISTS (SELECT 1 FROM ${customers} WHERE ${condition})`;
  const entry = { consumer: consumerId, requestId, at: new Date().toISOString(), action: "delete" as const, fields: "[]" };
  return [
    auditRows({ ...entry, hiddenBefore: hidden, hiddenAfter: hidden }, sql`FROM ${customers} WHERE ${condition}`, "before the write"),
    sql`UPDATE ${records} SET ${zeroedRecord} WHERE ${idempotencyKeys.customer_id} = ${id} AND ${erasable}`,
    sql`UPDATE ${records} SET copy = NULL WHERE ${idempotencyKeys.customer_id} = ${id} AND ${erasable}`,
    sql`DELETE FROM ${customers} WHERE ${condition} RETURNING id`,
  ];
}

/**
 * Erases a customer (GDPR right to erasure) in one atomic batch: a `delete` audit entry (ids only),
 * then the idempotency record's sealed copy is overwritten where it lies and cleared, and the row is
 * deleted, its text overwritten first by a trigger (src/db/triggers.ts), so that no freed page of the
 * database keeps the person's data (src/db/overwrite.ts). D1 does not accept `PRAGMA secure_delete`,
 * which would do this for every delete (docs/security.md). Every statement reads O(1) rows.
 */
export async function eraseCustomer(
  db: Db,
  { id, viewer, requestId, ifMatch }: { id: number; viewer: Viewer; requestId: string; ifMatch: IfMatch },
): Promise<{ status: "erased" } | { status: "not_found" } | { status: "precondition_failed" }> {
  const versions = Array.isArray(ifMatch) ? ifMatch : undefined;
  const condition = sql`${visibleCustomer(id, viewer)}${
    versions ? sql` AND ${versionSeenBy(viewer)} IN (SELECT value FROM json_each(${JSON.stringify(versions)}))` : sql``
  }`;
  const results = await batch(db, erasure(id, condition, viewer, requestId));
  if (results.at(-1)!.length) return { status: "erased" };
  const [exists] = await query(db, sql`SELECT ${customers.id} FROM ${customers} WHERE ${visibleCustomer(id, viewer)}`);
  return { status: exists ? "precondition_failed" : "not_found" };
}
