import { changes, openDatabase } from "./db/engine/database";
import { purgeStatements } from "./db/retention";
import type { Bindings } from "./env";

/**
 * The Cron Trigger (wrangler.toml `[triggers]`): purges expired idempotency records and audit entries
 * older than AUDIT_RETENTION_DAYS, at most PURGE_BATCH_SIZE of each a run, so a run's cost is bounded
 * whatever has piled up; the next run goes on where it stopped. `npm run purge` runs the same statements.
 */
async function purgeExpired(env: Bindings, now: number) {
  const db = openDatabase(env.DB.withSession("first-primary"), Number(env.D1_TIMEOUT_MS));
  const statements = purgeStatements({ now, auditRetentionDays: Number(env.AUDIT_RETENTION_DAYS), limit: Number(env.PURGE_BATCH_SIZE) });
  // One atomic batch; each statement that counts a kind of record says how many it deleted.
  const changed = await changes(
    db,
    statements.map(({ query }) => query),
  );
  const deleted = Object.fromEntries(statements.flatMap(({ counts }, i) => (counts ? [[counts, changed[i]]] : [])));
  console.log(JSON.stringify({ time: new Date(now).toISOString(), event: "retention_purge", ...deleted }));
}

export const scheduled: ExportedHandlerScheduledHandler<Bindings> = (controller, env, ctx) => {
  ctx.waitUntil(purgeExpired(env, controller.scheduledTime));
};
