import { FEED_ACCESS, feedPageAfter } from "../customers/feed-position";
import { viewerOf } from "../customers/gdpr";
import { allows, type Consumer, findConsumerById } from "../db/consumers";
import { type Db, openDatabase } from "../db/engine/database";
import type { WebhookSubscription } from "../db/schema";
import { type Attempt, type DisabledReason, disableSubscription, recordAttempt, startMessage, subscriptionById } from "../db/webhooks";
import type { Bindings } from "../env";
import { DELIVERY_TYPE, type DeliveryBody, MAX_DELIVERY_ENTRIES } from "./message";
import { signature, signingSecrets } from "./secrets";

// One subscription's deliveries, as its sender (src/webhooks/sender.ts) makes them: the next page of
// its consumer's feed after the last one the receiver accepted, posted, signed, until the receiver
// answers 2xx; the same message again (same webhook-id, same entries) after each failure, with
// backoff, for 3 days. Nothing is delivered out of order, and nothing is skipped.

const TIMEOUT_MS = 10_000;
const FIRST_RETRY_MS = 30_000;
const LAST_RETRY_MS = 60 * 60 * 1000;
export const FAILING_FOR_MS = 3 * 24 * 60 * 60 * 1000;
/** Deliveries a sender makes in one go before it yields (and goes on at once). */
const ROUNDS = 10;

/** What the sender does next: wait for news, go on at once, or retry the failed delivery at a time. */
export type Next = { kind: "idle" } | { kind: "again" } | { kind: "retry"; at: number };
const IDLE: Next = { kind: "idle" };

/** The wait before the next attempt after `failures` failures in a row: 30 s, doubling, at most an hour. */
export const retryDelay = (failures: number) => Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), LAST_RETRY_MS);

type Outcome = Pick<Attempt, "status" | "error" | "durationMs">;

/** Posts a delivery; redirects are not followed and the receiver's answer is not read. */
async function post(url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
  const start = Date.now();
  try {
    const res = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
    await res.body?.cancel();
    return { status: res.status, error: null, durationMs: Date.now() - start };
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    return {
      status: null,
      error: timedOut ? "No answer within 10 seconds." : "No connection to the receiver.",
      durationMs: Date.now() - start,
    };
  }
}

const accepted = ({ status }: Outcome) => status !== null && status >= 200 && status < 300;

function log(event: string, fields: Record<string, unknown>) {
  console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
}

async function disable(db: Db, subscription: WebhookSubscription, reason: DisabledReason) {
  await disableSubscription(db, subscription.id, reason);
  log("webhook_disabled", { subscription: subscription.id, consumer: subscription.consumer_id, reason });
}

type Message = { id: string; entries: number; created: string };

/**
 * What to deliver: the delivery in progress again (its entries), or the next page of the feed as a new
 * delivery, recorded before its first attempt; nothing when the feed has nothing new for the consumer.
 */
async function nextDelivery(env: Bindings, db: Db, subscription: WebhookSubscription, consumer: Consumer, now: number) {
  const { page, last } = await feedPageAfter(db, env, {
    viewer: viewerOf(consumer),
    position: subscription.position,
    limit: subscription.message_entries ?? MAX_DELIVERY_ENTRIES,
    nextLimit: MAX_DELIVERY_ENTRIES,
    apiUrl: subscription.origin,
  });
  if (page.results.length === 0) return undefined;
  const message: Message = {
    id: subscription.message_id ?? `msg_${crypto.randomUUID()}`,
    entries: page.results.length,
    created: subscription.message_created ?? new Date(now).toISOString(),
  };
  if (!subscription.message_id) await startMessage(db, subscription.id, message);
  return { message, body: JSON.stringify({ type: DELIVERY_TYPE, timestamp: message.created, data: page } satisfies DeliveryBody), last };
}

/** One attempt: the body posted with its Standard Webhooks headers, signed now. */
async function attempt(env: Bindings, subscription: WebhookSubscription, message: Message, body: string, now: number) {
  const timestamp = Math.floor(now / 1000);
  return post(
    subscription.url,
    {
      "Content-Type": "application/json",
      "User-Agent": "customer-api-webhooks",
      "webhook-id": message.id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": await signature(await signingSecrets(env, subscription, now), message.id, timestamp, body),
    },
    body,
  );
}

/** One delivery of a subscription: the message in progress, or a new one; what to do next. */
async function deliverOnce(env: Bindings, db: Db, id: string): Promise<Next> {
  const now = Date.now();
  const subscription = await subscriptionById(db, id);
  if (subscription?.status !== "active") return IDLE;
  const consumer = await findConsumerById(db, subscription.consumer_id, new Date(now).toISOString());
  if (!consumer || !allows(consumer, FEED_ACCESS)) {
    await disable(db, subscription, "no_access");
    return IDLE;
  }
  const delivery = await nextDelivery(env, db, subscription, consumer, now);
  if (!delivery) return IDLE;
  const { message, body, last } = delivery;
  const outcome = await attempt(env, subscription, message, body, now);
  const made = {
    subscriptionId: id,
    messageId: message.id,
    attempt: subscription.failures + 1,
    at: new Date(now).toISOString(),
    entries: message.entries,
    ...outcome,
  };
  const recorded = await recordAttempt(db, made, accepted(outcome) ? last : undefined);
  log("webhook_delivery", {
    subscription: id,
    consumer: subscription.consumer_id,
    webhook_id: message.id,
    attempt: made.attempt,
    status: outcome.status,
    error: outcome.error,
    duration_ms: outcome.durationMs,
    entries: message.entries,
  });
  // Deleted, or resumed, while it was being delivered: its new state decides at the next wake.
  if (!recorded) return IDLE;
  // Accepted: on to the next page (the feed may have moved on while this one was being retried).
  if (accepted(outcome)) return { kind: "again" };
  if (now - Date.parse(recorded.failing_since!) >= FAILING_FOR_MS) {
    await disable(db, recorded, "receiver_failing");
    return IDLE;
  }
  return { kind: "retry", at: now + retryDelay(recorded.failures) };
}

/** Delivers what a subscription's receiver has not accepted yet, a few deliveries at most. */
export async function deliverPending(env: Bindings, id: string): Promise<Next> {
  const db = openDatabase(env.DB.withSession("first-primary"), Number(env.D1_TIMEOUT_MS));
  for (let round = 0; round < ROUNDS; round++) {
    const next = await deliverOnce(env, db, id);
    if (next.kind !== "again") return next;
  }
  return { kind: "again" };
}
