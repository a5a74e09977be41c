import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../env";
import { deliverPending } from "./delivery";

// One Durable Object per subscription sends its deliveries, one at a time, in feed order: its alarm is
// the only place a delivery is made, so two never overlap. A poke (from the dispatcher when the feed has
// news, from the API when the subscription is made or resumed) wakes it at once, unless it waits to
// retry a failed delivery: a failing receiver keeps its own sender waiting, no other.

const SUBSCRIPTION = "subscription";
const RETRYING = "retrying";
/** After an error of its own (D1 unavailable, say), a sender tries again this much later. */
const AFTER_ERROR_MS = 30_000;

export class WebhookSender extends DurableObject<Bindings> {
  /** Wakes the sender now, unless it waits to retry; `resume` ends that wait. */
  async poke(subscriptionId: string, { resume = false } = {}) {
    const { storage } = this.ctx;
    if ((await storage.get(SUBSCRIPTION)) !== subscriptionId) await storage.put(SUBSCRIPTION, subscriptionId);
    if (resume) await storage.delete(RETRYING);
    else if (await storage.get(RETRYING)) return;
    await storage.setAlarm(Date.now());
  }

  /** The subscription is deleted: nothing is left to do. */
  async forget() {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  override async alarm() {
    const { storage } = this.ctx;
    const id = await storage.get<string>(SUBSCRIPTION);
    if (id === undefined) return;
    try {
      const next = await deliverPending(this.env, id);
      if (next.kind === "retry") await storage.put(RETRYING, true);
      else await storage.delete(RETRYING);
      if (next.kind !== "idle") await storage.setAlarm(next.kind === "retry" ? next.at : Date.now());
    } catch (error) {
      console.error(
        JSON.stringify({ time: new Date().toISOString(), event: "webhook_sender_error", subscription: id, error: (error as Error).name }),
      );
      await storage.setAlarm(Date.now() + AFTER_ERROR_MS);
    }
  }
}
