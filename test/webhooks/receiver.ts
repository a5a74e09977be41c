// The webhook receiver of these tests (test/webhook-receiver.ts, on this machine), seen from the Worker's side.
import { inject } from "vitest";
import { request } from "../helpers";

const base = inject("receiver");

type Answer = number | "hang" | "redirect";
export type Received = { at: number; headers: Record<string, string>; body: string; verified: boolean; answered: Answer };
export type Delivery = {
  type: string;
  timestamp: string;
  data: { next: string; results: { id: number; customer: number; action: string; fields: string[]; consumer: number | null }[] };
};

/** A receiver's URL of its own for a test (so that tests do not see each other's deliveries). */
export const hookUrl = (name: string) => `${base}/hooks/${name}`;

/** Tells the receiver the secrets to verify `name`'s deliveries with, and its next answers (204 after them). */
export async function control(name: string, settings: { secrets?: string[]; answers?: Answer[] }) {
  await fetch(`${base}/control/${name}`, { method: "PUT", body: JSON.stringify(settings) });
}

export async function received(name: string): Promise<Received[]> {
  return (await fetch(`${base}/received/${name}`)).json();
}

/** Waits until the receiver has `count` requests for `name` (a few seconds at most: deliveries follow the feed within seconds). */
export async function receivedAtLeast(name: string, count: number, timeoutMs = 15_000): Promise<Received[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await received(name);
    if (got.length >= count || Date.now() > until) return got;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const bodyOf = (delivery: Received) => JSON.parse(delivery.body) as Delivery;

export type Subscription = {
  id: string;
  url: string;
  status: string;
  secret: string;
  disabled_reason: string | null;
  failing_since: string | null;
};

/** Subscribes `key`'s consumer to the receiver's `name`, which verifies with the subscription's secret. */
export async function subscribe(key: string, name: string, answers: Answer[] = []): Promise<Subscription> {
  const res = await request("/webhooks/", {
    method: "POST",
    key,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ url: hookUrl(name), description: name }),
  });
  if (res.status !== 201) throw new Error(`subscribe: ${res.status} ${await res.text()}`);
  const subscription = await res.json<Subscription>();
  await control(name, { secrets: [subscription.secret], answers });
  return subscription;
}
