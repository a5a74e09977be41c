import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { batch, type Db, query } from "./engine/database";
import { decodeDelivery, decodeSubscription } from "./engine/rows";
import { customerChanges, type WebhookSubscription, webhookDeliveries, webhookSubscriptions } from "./schema";

// Webhook subscriptions and their deliveries (src/webhooks/): what a consumer manages through the API,
// and what the senders read and record. A consumer reaches only its own subscriptions: every query of
// the API names the consumer beside the id.

const subscriptions = webhookSubscriptions;
/** How many subscriptions a consumer may have. */
export const MAX_SUBSCRIPTIONS = 10;
/** How many of a subscription's latest attempts are kept. */
export const KEPT_ATTEMPTS = 50;

const owned = (id: string, consumerId: number) => and(eq(subscriptions.id, id), eq(subscriptions.consumer_id, consumerId));

/** Why a subscription was disabled: the webhooks' rules say it in words (src/webhooks/messages.ts). */
export type DisabledReason = "by_consumer" | "receiver_failing" | "no_access";

type NewSubscription = Pick<
  WebhookSubscription,
  "id" | "consumer_id" | "url" | "description" | "created" | "origin" | "secret" | "sealed_with"
>;

/**
 * A new subscription, positioned at the head of the feed (deliveries start with the changes after it),
 * unless its consumer has MAX_SUBSCRIPTIONS already: one statement, so that concurrent creations cannot
 * pass the limit together.
 */
export async function createSubscription(db: Db, subscription: NewSubscription): Promise<WebhookSubscription | undefined> {
  const { id, consumer_id, url, description, created, origin, secret, sealed_with } = subscription;
  const [row] = await query(
    db,
    sql`INSERT INTO ${subscriptions} (id, consumer_id, url, description, created, origin, secret, sealed_with, position)
      SELECT ${id}, ${consumer_id}, ${url}, ${description}, ${created}, ${origin}, ${secret}, ${sealed_with},
        (SELECT coalesce(max(${customerChanges.id}), 0) FROM ${customerChanges})
      WHERE (SELECT count(*) FROM ${subscriptions} WHERE ${eq(subscriptions.consumer_id, consumer_id)}) < ${MAX_SUBSCRIPTIONS}
      RETURNING *`,
  );
  return row && decodeSubscription(row);
}

export async function listSubscriptions(db: Db, consumerId: number): Promise<WebhookSubscription[]> {
  const rows = await query(
    db,
    sql`SELECT * FROM ${subscriptions} WHERE ${eq(subscriptions.consumer_id, consumerId)} ORDER BY ${subscriptions.created}, ${subscriptions.id}`,
  );
  return rows.map(decodeSubscription);
}

export async function findSubscription(db: Db, id: string, consumerId: number): Promise<WebhookSubscription | undefined> {
  const [row] = await query(db, sql`SELECT * FROM ${subscriptions} WHERE ${owned(id, consumerId)}`);
  return row && decodeSubscription(row);
}

/** What a consumer may change: the URL, the description, and the status (resume, or disable). */
export type SubscriptionChanges = Partial<Pick<WebhookSubscription, "url" | "description" | "status" | "origin">>;

/**
 * Changes a consumer's subscription. Resuming clears its failures and goes on where it stopped (its
 * position and its message in progress are kept); disabling records that its consumer did it.
 */
export async function updateSubscription(db: Db, id: string, consumerId: number, changes: SubscriptionChanges) {
  const { status, ...rest } = changes;
  const set: SQL[] = Object.entries(rest).map(([column, value]) => sql`${sql.identifier(column)} = ${value}`);
  if (status === "active") set.push(sql`status = 'active', disabled_reason = NULL, failures = 0, failing_since = NULL`);
  if (status === "disabled")
    set.push(
      sql`disabled_reason = CASE WHEN status = 'disabled' THEN disabled_reason ELSE ${"by_consumer" satisfies DisabledReason} END, status = 'disabled'`,
    );
  if (!set.length) return findSubscription(db, id, consumerId);
  const [row] = await query(db, sql`UPDATE ${subscriptions} SET ${sql.join(set, sql`, `)} WHERE ${owned(id, consumerId)} RETURNING *`);
  return row && decodeSubscription(row);
}

/** Deletes a consumer's subscription and its attempts; whether there was one. */
export async function deleteSubscription(db: Db, id: string, consumerId: number): Promise<boolean> {
  const [, deleted] = await batch(db, [
    sql`DELETE FROM ${webhookDeliveries} WHERE ${eq(webhookDeliveries.subscription_id, id)}
      AND EXISTS (SELECT 1 FROM ${subscriptions} WHERE ${owned(id, consumerId)})`,
    sql`DELETE FROM ${subscriptions} WHERE ${owned(id, consumerId)} RETURNING id`,
  ]);
  return deleted!.length > 0;
}

/** A new signing secret; the one it replaces keeps signing beside it until `previousUntil`. */
export async function rotateSecret(
  db: Db,
  id: string,
  consumerId: number,
  secrets: Pick<WebhookSubscription, "secret" | "previous_secret" | "previous_secret_until" | "sealed_with">,
) {
  const set = Object.entries(secrets).map(([column, value]) => sql`${sql.identifier(column)} = ${value}`);
  const [row] = await query(db, sql`UPDATE ${subscriptions} SET ${sql.join(set, sql`, `)} WHERE ${owned(id, consumerId)} RETURNING *`);
  return row && decodeSubscription(row);
}

/** A subscription's latest attempts, newest first. */
export async function latestAttempts(db: Db, id: string, consumerId: number) {
  const [found, rows] = await batch(db, [
    sql`SELECT 1 FROM ${subscriptions} WHERE ${owned(id, consumerId)}`,
    sql`SELECT * FROM ${webhookDeliveries} WHERE ${eq(webhookDeliveries.subscription_id, id)}
      ORDER BY ${desc(webhookDeliveries.id)} LIMIT ${KEPT_ATTEMPTS}`,
  ]);
  return found!.length ? rows!.map(decodeDelivery) : undefined;
}

// What the senders read and write.

/** A subscription, whoever its consumer (for its sender). */
export async function subscriptionById(db: Db, id: string): Promise<WebhookSubscription | undefined> {
  const [row] = await query(db, sql`SELECT * FROM ${subscriptions} WHERE ${eq(subscriptions.id, id)}`);
  return row && decodeSubscription(row);
}

/** The delivery in progress: its webhook-id and entries, kept until the receiver accepts it. */
export async function startMessage(db: Db, id: string, message: { id: string; entries: number; created: string }) {
  await query(
    db,
    sql`UPDATE ${subscriptions} SET message_id = ${message.id}, message_entries = ${message.entries}, message_created = ${message.created}
      WHERE ${eq(subscriptions.id, id)} AND message_id IS NULL`,
  );
}

export type Attempt = {
  subscriptionId: string;
  messageId: string;
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
  entries: number;
};

/**
 * Records an attempt, keeping the latest KEPT_ATTEMPTS, and its outcome: accepted, the subscription
 * moves to `acceptedUpTo` and its message is done; else one more failure. All under the message, so
 * that a subscription deleted or resumed meanwhile is left as it is.
 */
export async function recordAttempt(db: Db, attempt: Attempt, acceptedUpTo: number | undefined) {
  const { subscriptionId: id, messageId } = attempt;
  const outcome =
    acceptedUpTo === undefined
      ? sql`failures = failures + 1, failing_since = coalesce(failing_since, ${attempt.at})`
      : sql`position = ${acceptedUpTo}, message_id = NULL, message_entries = NULL, message_created = NULL, failures = 0, failing_since = NULL`;
  const [, , updated] = await batch(db, [
    sql`INSERT INTO ${webhookDeliveries} (subscription_id, message_id, attempt, at, status, error, duration_ms, entries)
      VALUES (${id}, ${messageId}, ${attempt.attempt}, ${attempt.at}, ${attempt.status}, ${attempt.error}, ${attempt.durationMs}, ${attempt.entries})`,
    // The attempts older than the latest KEPT_ATTEMPTS, through the subscription's index.
    sql`DELETE FROM ${webhookDeliveries} WHERE ${eq(webhookDeliveries.subscription_id, id)} AND ${webhookDeliveries.id} <
      (SELECT ${webhookDeliveries.id} FROM ${webhookDeliveries} WHERE ${eq(webhookDeliveries.subscription_id, id)}
        ORDER BY ${desc(webhookDeliveries.id)} LIMIT 1 OFFSET ${KEPT_ATTEMPTS - 1})`,
    sql`UPDATE ${subscriptions} SET ${outcome} WHERE ${eq(subscriptions.id, id)} AND ${eq(subscriptions.message_id, messageId)} RETURNING *`,
  ]);
  return updated![0] && decodeSubscription(updated![0]);
}

export async function disableSubscription(db: Db, id: string, reason: DisabledReason) {
  await query(db, sql`UPDATE ${subscriptions} SET status = 'disabled', disabled_reason = ${reason} WHERE ${eq(subscriptions.id, id)}`);
}

/** What the dispatcher watches: the head of the feed, and whether any subscription is active. */
export async function feedHead(db: Db): Promise<{ head: number; anyActive: boolean }> {
  const [row] = await query(
    db,
    sql`SELECT (SELECT coalesce(max(${customerChanges.id}), 0) FROM ${customerChanges}) AS head,
      EXISTS (SELECT 1 FROM ${subscriptions} WHERE status = 'active') AS any_active`,
  );
  return { head: Number(row!.head), anyActive: row!.any_active === 1 };
}

export async function activeSubscriptionIds(db: Db): Promise<string[]> {
  const rows = await query(db, sql`SELECT id FROM ${subscriptions} WHERE status = 'active'`);
  return rows.map((row) => String(row.id));
}

/** Subscriptions whose secrets another slot of the sealing key sealed, at most `limit` (to seal again). */
export async function sealedWithOtherSlot(db: Db, slot: string, limit: number) {
  const rows = await query(db, sql`SELECT * FROM ${subscriptions} WHERE ${subscriptions.sealed_with} <> ${slot} LIMIT ${limit}`);
  return rows.map(decodeSubscription);
}

type Resealed = { id: string; before: string } & Pick<WebhookSubscription, "secret" | "previous_secret" | "sealed_with">;

/** Secrets sealed again, in one batch; a subscription whose secret a rotation replaced meanwhile is left as it is. */
export async function saveResealed(db: Db, resealed: Resealed[]) {
  if (!resealed.length) return;
  await batch(
    db,
    resealed.map(
      ({ id, before, secret, previous_secret, sealed_with }) =>
        sql`UPDATE ${subscriptions} SET secret = ${secret}, previous_secret = ${previous_secret}, sealed_with = ${sealed_with}
          WHERE ${eq(subscriptions.id, id)} AND ${eq(subscriptions.secret, before)}`,
    ),
  );
}
