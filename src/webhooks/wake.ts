import type { Bindings } from "../env";

// How the API and the dispatcher reach the Durable Objects of webhooks (src/webhooks/sender.ts,
// src/webhooks/dispatcher.ts), by name.

/** The sender of a subscription. */
export const senderOf = (env: Bindings, subscriptionId: string) => env.WEBHOOK_SENDERS.get(env.WEBHOOK_SENDERS.idFromName(subscriptionId));

const dispatcherOf = (env: Bindings) => env.WEBHOOK_DISPATCHER.get(env.WEBHOOK_DISPATCHER.idFromName("dispatcher"));

/** A subscription was made or resumed: its sender wakes now, and the dispatcher watches the feed for it. */
export async function wakeDeliveries(env: Bindings, subscriptionId: string) {
  await Promise.all([senderOf(env, subscriptionId).poke(subscriptionId, { resume: true }), dispatcherOf(env).wake()]);
}
