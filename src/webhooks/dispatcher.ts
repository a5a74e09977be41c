import { DurableObject } from "cloudflare:workers";
import { openDatabase } from "../db/engine/database";
import { activeSubscriptionIds, feedHead } from "../db/webhooks";
import type { Bindings } from "../env";
import { senderOf } from "./wake";

// One Durable Object watches the head of the change feed, once a second while any subscription is
// active, and pokes the active subscriptions' senders when it has moved. A write does nothing for a
// subscriber: it is the dispatcher that notices it (one query a second, whatever the number of
// subscriptions). It sleeps when no subscription is active; making or resuming one wakes it.

const POLL_MS = 1000;

export class WebhookDispatcher extends DurableObject<Bindings> {
  /** The head it last saw (in memory: after an eviction it pokes every sender once, which is harmless). */
  private seen: number | undefined;

  async wake() {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
  }

  override async alarm() {
    const db = openDatabase(this.env.DB.withSession("first-primary"), Number(this.env.D1_TIMEOUT_MS));
    try {
      const { head, anyActive } = await feedHead(db);
      if (!anyActive) return;
      if (head !== this.seen) {
        const ids = await activeSubscriptionIds(db);
        await Promise.all(ids.map((id) => senderOf(this.env, id).poke(id)));
        this.seen = head;
      }
    } catch (error) {
      console.error(JSON.stringify({ time: new Date().toISOString(), event: "webhook_dispatcher_error", error: (error as Error).name }));
    }
    await this.ctx.storage.setAlarm(Date.now() + POLL_MS);
  }
}
