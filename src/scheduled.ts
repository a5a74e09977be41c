import { createDb } from "./db/client";
import { DbMeter } from "./db/meter";
import { purge } from "./db/purge";
import type { Bindings } from "./env";

/**
 * The Cron Trigger (wrangler.toml `[triggers]`): purges expired idempotency records and audit entries
 * older than AUDIT_RETENTION_DAYS, at most PURGE_BATCH_SIZE of each a run, so a run's cost is bounded
 * whatever has piled up; the next run goes on where it stopped. `npm run purge` runs the same statements.
 */
export async function purgeExpired(env: Bindings, now: number) {
  const db = createDb(env.DB.withSession("first-primary"), new DbMeter(Number(env.D1_TIMEOUT_MS)));
  const deleted = await purge(db, { now, auditRetentionDays: Number(env.AUDIT_RETENTION_DAYS), limit: Number(env.PURGE_BATCH_SIZE) });
  console.log(JSON.stringify({ time: new Date(now).toISOString(), event: "retention_purge", ...deleted }));
}

export const scheduled: ExportedHandlerScheduledHandler<Bindings> = (controller, env, ctx) => {
  ctx.waitUntil(purgeExpired(env, controller.scheduledTime));
};
