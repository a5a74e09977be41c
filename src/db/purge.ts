import { inArray, lte, sql } from "drizzle-orm";
import type { Db } from "./client";
import { prepare, statement } from "./raw";
import { customerChanges, customerExportMoves, customerExports, idempotencyKeys } from "./schema";

// Retention, run by the scheduled handler in bounded batches: no client request ever pays for it.

/** Deletes at most `limit` idempotency records created at or before `cutoff`, oldest first (by their index). */
export async function purgeIdempotencyRecords(db: Db, cutoff: string, limit: number): Promise<number> {
  const result = await db.run(
    sql`DELETE FROM ${idempotencyKeys} WHERE rowid IN (SELECT rowid FROM ${idempotencyKeys} WHERE ${lte(idempotencyKeys.created_at, cutoff)} ORDER BY ${idempotencyKeys.created_at} LIMIT ${limit})`,
  );
  return result.meta.changes;
}

/**
 * Deletes at most `limit` audit entries older than `cutoff`. Ids grow with time (each write's batch
 * assigns them), so the oldest are the lowest ids: the scan stops after `limit` rows.
 */
export async function purgeAuditEntries(db: Db, cutoff: string, limit: number): Promise<number> {
  const rows = await db
    .delete(customerChanges)
    .where(
      inArray(
        customerChanges.id,
        db
          .select({ id: customerChanges.id })
          .from(customerChanges)
          .where(lte(customerChanges.at, cutoff))
          .orderBy(customerChanges.id)
          .limit(limit),
      ),
    )
    .returning({ id: customerChanges.id });
  return rows.length;
}

/**
 * Deletes exports (cursor mode) created at or before `cutoff`: at most `limit` of their moved
 * customers, then at most `limit` of those exports that have none left.
 */
export async function purgeExports(db: Db, cutoff: string, limit: number): Promise<number> {
  const expired = sql`SELECT ${customerExports.id} FROM ${customerExports} WHERE ${lte(customerExports.created_at, cutoff)}`;
  const d1 = db.$client;
  const [, exports] = await d1.batch(
    [
      sql`DELETE FROM ${customerExportMoves} WHERE rowid IN (SELECT rowid FROM ${customerExportMoves} WHERE ${customerExportMoves.export_id} IN (${expired}) LIMIT ${limit})`,
      sql`DELETE FROM ${customerExports} WHERE ${customerExports.id} IN (${expired} AND NOT EXISTS (SELECT 1 FROM ${customerExportMoves} WHERE ${customerExportMoves.export_id} = ${customerExports.id}) LIMIT ${limit})`,
    ].map((query) => prepare(d1, statement(query))),
  );
  return exports!.meta.changes;
}
