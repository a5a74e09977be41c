import { changes, type Db, openDatabase } from "./db/engine/database";
import { purgeStatements } from "./db/retention";
import { saveResealed, sealedWithOtherSlot } from "./db/webhooks";
import type { Bindings } from "./env";
import { resealedSecrets } from "./webhooks/secrets";

/** Webhook secrets sealed again after a rotation of the sealing key, at most this many a run. */
const RESEAL_BATCH = 100;

/**
 * The Cron Trigger (wrangler.toml `[triggers]`): purges expired idempotency records and audit entries
 * older than AUDIT_RETENTION_DAYS, at most PURGE_BATCH_SIZE of each a run, so a run's cost is bounded
 * whatever has piled up; the next run goes on where it stopped. `npm run purge` runs the same statements.
 */
async function purgeExpired(env: Bindings, db: Db, now: number) {
  const statements = purgeStatements({ now, auditRetentionDays: Number(env.AUDIT_RETENTION_DAYS), limit: Number(env.PURGE_BATCH_SIZE) });
  // One atomic batch; each statement that counts a kind of record says how many it deleted.
  const changed = await changes(
    db,
    statements.map(({ query }) => query),
  );
  const deleted = Object.fromEntries(statements.flatMap(({ counts }, i) => (counts ? [[counts, changed[i]]] : [])));
  console.log(JSON.stringify({ time: new Date(now).toISOString(), event: "retention_purge", ...deleted }));
}

/**
 * Webhook secrets are kept sealed for as long as their subscription lives: after a rotation of the
 * sealing key (docs/deploy.md), those sealed with the other slot are sealed again with the one in use,
 * before the next rotation overwrites that slot.
 */
async function resealWebhookSecrets(env: Bindings, db: Db) {
  const stale = await sealedWithOtherSlot(db, env.SEALING_KEY_IN_USE, RESEAL_BATCH);
  const resealed = await Promise.all(
    stale.map(async (subscription) => {
      const secrets = await resealedSecrets(env, subscription);
      return secrets && { id: subscription.id, before: subscription.secret, ...secrets };
    }),
  );
  await saveResealed(
    db,
    resealed.filter((entry) => entry !== undefined),
  );
  if (stale.length) console.log(JSON.stringify({ time: new Date().toISOString(), event: "webhook_secrets_resealed", count: stale.length }));
}

export const scheduled: ExportedHandlerScheduledHandler<Bindings> = (controller, env, ctx) => {
  const db = openDatabase(env.DB.withSession("first-primary"), Number(env.D1_TIMEOUT_MS));
  ctx.waitUntil(Promise.all([purgeExpired(env, db, controller.scheduledTime), resealWebhookSecrets(env, db)]));
};
