import { createDb } from "./db/client";
import { IDEMPOTENCY_WINDOW_MS } from "./db/create-customer";
import { EXPORT_LIFETIME_MS } from "./db/exports";
import { DbMeter } from "./db/meter";
import { purgeAuditEntries, purgeExports, purgeIdempotencyRecords } from "./db/purge";
import type { Bindings } from "./env";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The Cron Trigger (wrangler.toml `[triggers]`): purges expired idempotency records, audit entries
 * older than AUDIT_RETENTION_DAYS and expired exports of cursor mode, at most PURGE_BATCH_SIZE of each
 * a run, so a run's cost is bounded whatever has piled up; the next run goes on where it stopped.
 */
export async function purgeExpired(env: Bindings, now: number) {
  const db = createDb(env.DB.withSession("first-primary"), new DbMeter(Number(env.D1_TIMEOUT_MS)));
  const limit = Number(env.PURGE_BATCH_SIZE);
  const idempotencyRecords = await purgeIdempotencyRecords(db, new Date(now - IDEMPOTENCY_WINDOW_MS).toISOString(), limit);
  const auditEntries = await purgeAuditEntries(db, new Date(now - Number(env.AUDIT_RETENTION_DAYS) * DAY_MS).toISOString(), limit);
  const exports = await purgeExports(db, new Date(now - EXPORT_LIFETIME_MS).toISOString(), limit);
  console.log(
    JSON.stringify({
      time: new Date(now).toISOString(),
      event: "retention_purge",
      idempotency_records: idempotencyRecords,
      audit_entries: auditEntries,
      exports,
    }),
  );
}

export const scheduled: ExportedHandlerScheduledHandler<Bindings> = (controller, env, ctx) => {
  ctx.waitUntil(purgeExpired(env, controller.scheduledTime));
};
