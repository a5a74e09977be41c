import { type SQL, sql } from "drizzle-orm";
import { zeroedRecord } from "./overwrite";
import { customerChanges, idempotencyKeys } from "./schema";

// Retention, in bounded batches, never paid for by a client's request: what a purge run deletes. The
// Cron Trigger runs them (src/scheduled.ts), operators through `npm run purge` (scripts/purge.ts).

const DAY_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_WINDOW_MS = DAY_MS;

type PurgeSettings = { now: number; auditRetentionDays: number; limit: number };

/**
 * The statements of one purge run, in order: at most `limit` idempotency records older than their 24
 * hours (their sealed copy of the created customer overwritten first, so that no freed page keeps
 * it; oldest first, by their index), then at most `limit` audit entries older than the
 * retention (ids grow with time, so the oldest are the lowest: the scan stops after `limit` rows).
 */
export function purgeStatements({ now, auditRetentionDays, limit }: PurgeSettings): { counts: string | undefined; query: SQL }[] {
  const expired = sql`rowid IN (SELECT rowid FROM ${idempotencyKeys} INDEXED BY "idempotency_keys_created"
    WHERE ${idempotencyKeys.created_at} <= ${new Date(now - IDEMPOTENCY_WINDOW_MS).toISOString()} ORDER BY ${idempotencyKeys.created_at} LIMIT ${limit})`;
  const auditCutoff = new Date(now - auditRetentionDays * DAY_MS).toISOString();
  return [
    {
      counts: undefined,
      query: sql`UPDATE ${idempotencyKeys} SET ${zeroedRecord} WHERE ${expired}`,
    },
    { counts: "idempotency_records", query: sql`DELETE FROM ${idempotencyKeys} WHERE ${expired}` },
    {
      counts: "audit_entries",
      query: sql`DELETE FROM ${customerChanges} WHERE ${customerChanges.id} IN (SELECT ${customerChanges.id} FROM ${customerChanges}
        WHERE ${customerChanges.at} <= ${auditCutoff} ORDER BY ${customerChanges.id} LIMIT ${limit})`,
    },
  ];
}
