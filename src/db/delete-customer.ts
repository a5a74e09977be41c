import { getTableColumns, getTableName, sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import { auditRows } from "./audit";
import type { Db } from "./client";
import { prepare, statement } from "./raw";
import { zeroedRecord, zeros } from "./retention";
import { customers, idempotencyKeys } from "./schema";
import type { IfMatch } from "./versions";
import { isHidden, type Viewer, versionSeenBy, visibleCustomer } from "./visibility";

/** Text columns that no index copies: their bytes live only in the row, so overwriting the row erases them. */
const indexed = new Set(
  getTableConfig(customers).indexes.flatMap((index) => index.config.columns.map((column) => (column as { name: string }).name)),
);
const ERASED = Object.values(getTableColumns(customers)).filter(
  (column) => column.getSQLType() === "text" && !indexed.has(column.name) && !column.isUnique,
);

/**
 * Erases a customer (GDPR right to erasure) in one atomic batch: a `delete` audit entry (ids only),
 * then the person's data is overwritten where it lies (the row's text and the idempotency record's
 * copy of the created row and its body's hash) before the row is deleted and the record cleared, so
 * that no freed page of the database keeps it. D1 does not accept `PRAGMA secure_delete`, which would
 * do this for every delete (docs/security.md). Every statement reads O(1) rows: the idempotency
 * records are read through their customer's index, whatever the planner statistics.
 */
export async function deleteCustomer(
  db: Db,
  { id, viewer, requestId, ifMatch }: { id: number; viewer: Viewer; requestId: string; ifMatch: IfMatch },
): Promise<{ status: "deleted" } | { status: "not_found" } | { status: "precondition_failed" }> {
  const versions = Array.isArray(ifMatch) ? ifMatch : undefined;
  const condition = sql`${visibleCustomer(id, viewer)}${
    versions ? sql` AND ${versionSeenBy(viewer)} IN (SELECT value FROM json_each(${JSON.stringify(versions)}))` : sql``
  }`;
  const hidden = isHidden(customers.restricted_type);
  const erasable = sql`EXISTS (SELECT 1 FROM ${customers} WHERE ${condition})`;
  const records = sql`${idempotencyKeys} INDEXED BY ${sql.identifier(`${getTableName(idempotencyKeys)}_customer`)}`;
  const statements = [
    auditRows(
      {
        consumer: viewer.consumerId,
        requestId,
        at: new Date().toISOString(),
        action: "delete",
        fields: "[]",
        hiddenBefore: hidden,
        hiddenAfter: hidden,
      },
      sql`FROM ${customers} WHERE ${condition}`,
    ),
    sql`UPDATE ${records} SET ${zeroedRecord} WHERE ${idempotencyKeys.customer_id} = ${id} AND ${erasable}`,
    sql`UPDATE ${records} SET request_hash = NULL, response = NULL WHERE ${idempotencyKeys.customer_id} = ${id} AND ${erasable}`,
    sql`UPDATE ${customers} SET ${sql.join(
      ERASED.map((column) => sql`${sql.identifier(column.name)} = ${zeros(column)}`),
      sql`, `,
    )} WHERE ${condition}`,
    sql`DELETE FROM ${customers} WHERE ${condition} RETURNING id`,
  ];
  const d1 = db.$client;
  const results = await d1.batch(statements.map((query) => prepare(d1, statement(query))));
  if (results.at(-1)!.results.length) return { status: "deleted" };
  const [exists] = await db.select({ id: customers.id }).from(customers).where(visibleCustomer(id, viewer));
  return { status: exists ? "precondition_failed" : "not_found" };
}
