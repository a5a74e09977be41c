// Deliveries to a real receiver on this machine, which verifies each with the standardwebhooks library
// (test/webhook-receiver.ts): the feed, pushed, in order, with no gap across a failing receiver,
// retried with the same webhook-id and backoff, disabled after 3 days and resumed where it stopped.
import {
  createExecutionContext,
  createScheduledController,
  env,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { createConsumer, createCustomer, get, patch, request } from "../helpers";
import { bodyOf, control, type Delivery, type Received, received, receivedAtLeast, subscribe } from "./receiver";

let reader: { key: string; id: number };
let writer: string;
let extended: string;
beforeAll(async () => {
  reader = await createConsumer({ gdpr: "normal" });
  writer = (await createConsumer({ gdpr: "normal" })).key;
  extended = (await createConsumer({ gdpr: "extended" })).key;
});

const sender = (subscriptionId: string) => env.WEBHOOK_SENDERS.get(env.WEBHOOK_SENDERS.idFromName(subscriptionId));
const nextAlarm = (subscriptionId: string) => runInDurableObject(sender(subscriptionId), (_, state) => state.storage.getAlarm());
const entriesOf = (deliveries: Received[]) => deliveries.flatMap((delivery) => bodyOf(delivery).data.results);
const accepted = (deliveries: Received[]) => deliveries.filter((delivery) => delivery.answered === 204);

/** The consumer's change feed after a position (an `after` cursor), as GET /api/v2/changes/ answers it. */
async function feedAfter(next: string | undefined, key = reader.key) {
  const res = await get(next ? `/changes/${new URL(next).search}` : "/changes/?limit=1000", key);
  return res.json<{ next: string; results: Delivery["data"]["results"] }>();
}

describe("a delivery", () => {
  it("is a page of the consumer's feed, signed so that a Standard Webhooks library verifies it, with the feed after it", async () => {
    const subscription = await subscribe(reader.key, "verified");
    const start = (await feedAfter(undefined)).next;
    const customer = await createCustomer();
    expect((await patch(customer, { note: "pushed" }, writer)).status).toBe(200);
    const [delivery] = await receivedAtLeast("verified", 1);
    expect(delivery!.verified).toBe(true);
    expect(delivery!.headers).toMatchObject({
      "content-type": "application/json",
      "webhook-id": expect.stringMatching(/^msg_[0-9a-f-]{36}$/),
      "webhook-timestamp": expect.stringMatching(/^\d{10}$/),
      "webhook-signature": expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
    });
    const body = bodyOf(delivery!);
    expect(body).toEqual({
      type: "customer.changes",
      timestamp: expect.any(String),
      data: { next: expect.any(String), results: expect.any(Array) },
    });
    // Exactly what the feed shows after the subscription was made, and the feed after it is empty.
    expect(body.data.results).toEqual((await feedAfter(start)).results);
    expect(body.data.results).toEqual([expect.objectContaining({ customer, action: "update", fields: ["note"] })]);
    expect((await feedAfter(body.data.next)).results).toEqual([]);
    // As a receiver checks it: a tampered body, an old timestamp or another secret do not verify.
    const hook = new Webhook(subscription.secret);
    const headers = delivery!.headers;
    expect(hook.verify(delivery!.body, headers)).toEqual(body);
    expect(() => hook.verify(delivery!.body.replace('"pushed"', '"pushed"').replace('"note"', '"name"'), headers)).toThrow();
    const old = String(Math.floor(Date.now() / 1000) - 600);
    expect(() => hook.verify(delivery!.body, { ...headers, "webhook-timestamp": old })).toThrow();
    expect(() => new Webhook(`whsec_${btoa("another secret of 32 bytes......")}`).verify(delivery!.body, headers)).toThrow();
    const attempts = await (await get(`/webhooks/${subscription.id}/deliveries/`, reader.key)).json();
    expect(attempts).toEqual([
      {
        webhook_id: headers["webhook-id"],
        attempt: 1,
        at: expect.any(String),
        status: 204,
        error: null,
        duration_ms: expect.any(Number),
        entries: 1,
      },
    ]);
  });

  it("shows hidden customers as the feed does: hidden as an erasure, back as a creation, nothing in between", async () => {
    await subscribe(reader.key, "hidden");
    const customer = await createCustomer();
    expect((await patch(customer, { restricted_type: 2 }, extended)).status).toBe(200);
    expect((await patch(customer, { note: "while hidden" }, extended)).status).toBe(200);
    expect((await patch(customer, { restricted_type: null }, extended)).status).toBe(200);
    const deliveries = await receivedAtLeast("hidden", 1);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // any later delivery too
    const entries = entriesOf(await received("hidden"));
    expect(entries.map(({ action, customer: id, consumer, fields }) => ({ action, id, consumer, fields }))).toEqual([
      { action: "delete", id: customer, consumer: null, fields: [] },
      { action: "create", id: customer, consumer: null, fields: expect.any(Array) },
    ]);
    expect(deliveries.every((delivery) => delivery.verified)).toBe(true);
    expect(JSON.stringify(await received("hidden"))).not.toContain("while hidden");
  });
});

describe("a failing receiver", () => {
  it("gets the same delivery again, with backoff, then the rest in order: no gap, no reordering", async () => {
    const subscription = await subscribe(reader.key, "failing", [500, "redirect"]);
    const customer = await createCustomer();
    expect((await patch(customer, { note: "one" }, writer)).status).toBe(200);
    const [first] = await receivedAtLeast("failing", 1);
    expect(first!.answered).toBe(500);
    // Retried in about 30 seconds (the sender's alarm), not when the feed moves on.
    const retryIn = (await nextAlarm(subscription.id))! - Date.now();
    expect(retryIn).toBeGreaterThan(25_000);
    expect(retryIn).toBeLessThanOrEqual(30_000);
    expect((await patch(customer, { note: "two" }, writer)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await received("failing")).toHaveLength(1);
    // The retry (run now rather than in 30 seconds) is the same delivery: its id, its time, its entries,
    // and its `next` the same place of the feed (a cursor sealed afresh).
    expect(await runDurableObjectAlarm(sender(subscription.id))).toBe(true);
    const [, second] = await received("failing");
    expect(second!.answered).toBe("redirect");
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    const { data: retried, ...retriedMessage } = bodyOf(second!);
    const { data: original, ...originalMessage } = bodyOf(first!);
    expect(retriedMessage).toEqual(originalMessage);
    expect(retried.results).toEqual(original.results);
    expect((await feedAfter(retried.next)).results).toEqual((await feedAfter(original.next)).results);
    expect(await received("failing-redirected")).toEqual([]);
    const doubled = (await nextAlarm(subscription.id))! - Date.now();
    expect(doubled).toBeGreaterThan(55_000);
    expect(doubled).toBeLessThanOrEqual(60_000);
    expect(await (await get(`/webhooks/${subscription.id}/`, reader.key)).json()).toMatchObject({
      status: "active",
      failing_since: expect.stringMatching(/^\d{4}-/),
    });
    // Accepted at the third attempt; the second write follows in a delivery of its own.
    expect(await runDurableObjectAlarm(sender(subscription.id))).toBe(true);
    const all = await receivedAtLeast("failing", 4);
    expect(all.map((delivery) => delivery.answered)).toEqual([500, "redirect", 204, 204]);
    expect(all[2]!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(all[3]!.headers["webhook-id"]).not.toBe(first!.headers["webhook-id"]);
    expect(entriesOf(accepted(all)).map((entry) => entry.fields)).toEqual([["note"], ["note"]]);
    expect(entriesOf(accepted(all))).toEqual((await feedAfter(undefined)).results.filter((entry) => entry.customer === customer));
    const attempts = await (await get(`/webhooks/${subscription.id}/deliveries/`, reader.key)).json<
      { attempt: number; status: number }[]
    >();
    expect(attempts.map(({ attempt, status }) => [attempt, status])).toEqual([
      [1, 204],
      [3, 204],
      [2, 307],
      [1, 500],
    ]);
  });

  it("delays only its own subscription", async () => {
    const failing = await subscribe(reader.key, "own-failing", [500, 500, 500]);
    await subscribe(reader.key, "own-healthy");
    const customer = await createCustomer();
    expect((await patch(customer, { note: "both" }, writer)).status).toBe(200);
    await receivedAtLeast("own-failing", 1);
    expect((await patch(customer, { note: "again" }, writer)).status).toBe(200);
    const healthy = await receivedAtLeast("own-healthy", 2);
    expect(entriesOf(healthy)).toHaveLength(2);
    expect(await received("own-failing")).toHaveLength(1);
    expect(await nextAlarm(failing.id)).toBeGreaterThan(Date.now() + 20_000);
  });

  it("is given 10 seconds, after which the delivery counts as failed", async () => {
    const subscription = await subscribe(reader.key, "slow", ["hang"]);
    expect((await patch(await createCustomer(), { note: "slow" }, writer)).status).toBe(200);
    await receivedAtLeast("slow", 1);
    await expect
      .poll(async () => (await (await get(`/webhooks/${subscription.id}/deliveries/`, reader.key)).json<unknown[]>()).length, {
        timeout: 20_000,
      })
      .toBe(1);
    const [attempt] = await (await get(`/webhooks/${subscription.id}/deliveries/`, reader.key)).json<
      { status: null; error: string; duration_ms: number }[]
    >();
    expect(attempt).toMatchObject({ status: null, error: "No answer within 10 seconds." });
    expect(attempt!.duration_ms).toBeGreaterThanOrEqual(10_000);
  });

  it("after 3 days, disables the subscription with the reason; resuming goes on where it stopped", async () => {
    const subscription = await subscribe(reader.key, "abandoned", [500, 500]);
    const customer = await createCustomer();
    expect((await patch(customer, { note: "lost?" }, writer)).status).toBe(200);
    const [first] = await receivedAtLeast("abandoned", 1);
    const threeDaysAgo = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000 - 1000).toISOString();
    await env.DB.prepare("UPDATE webhook_subscriptions SET failing_since = ? WHERE id = ?").bind(threeDaysAgo, subscription.id).run();
    await runDurableObjectAlarm(sender(subscription.id));
    expect(await (await get(`/webhooks/${subscription.id}/`, reader.key)).json()).toMatchObject({
      status: "disabled",
      disabled_reason: "The receiver accepted no delivery for 3 days.",
    });
    // Disabled: writes go on, nothing is delivered.
    expect((await patch(customer, { note: "meanwhile" }, writer)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await received("abandoned")).toHaveLength(2);
    // Resumed: the delivery that was not accepted (same id), then what came after it.
    const resumed = await request(`/webhooks/${subscription.id}/`, {
      method: "PATCH",
      key: reader.key,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ status: "active" }),
    });
    expect(await resumed.json()).toMatchObject({ status: "active", disabled_reason: null, failing_since: null });
    const all = await receivedAtLeast("abandoned", 4);
    expect(all[2]!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(entriesOf(accepted(all))).toEqual((await feedAfter(undefined)).results.filter((entry) => entry.customer === customer));
  });
});

describe("a subscription", () => {
  it("signs with both secrets for 24 hours after a rotation, then with the new one", async () => {
    const subscription = await subscribe(reader.key, "rotating");
    const { secret } = await (await request(`/webhooks/${subscription.id}/rotate-secret/`, { method: "POST", key: reader.key })).json<{
      secret: string;
    }>();
    const customer = await createCustomer();
    for (const secrets of [[subscription.secret], [secret]]) {
      await control("rotating", { secrets });
      const count = (await received("rotating")).length;
      expect((await patch(customer, { note: `under ${secrets[0]!.slice(6, 12)}` }, writer)).status).toBe(200);
      const delivery = (await receivedAtLeast("rotating", count + 1))[count]!;
      expect(delivery.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
      expect(delivery.verified).toBe(true);
    }
    await env.DB.prepare("UPDATE webhook_subscriptions SET previous_secret_until = ? WHERE id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), subscription.id)
      .run();
    await control("rotating", { secrets: [subscription.secret] });
    const count = (await received("rotating")).length;
    expect((await patch(customer, { note: "new secret only" }, writer)).status).toBe(200);
    const last = (await receivedAtLeast("rotating", count + 1))[count]!;
    expect(last.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(last.verified).toBe(false);
  });

  it("keeps its secret across a rotation of the sealing key: the scheduled run seals it again with the slot in use", async () => {
    const subscription = await subscribe(reader.key, "resealed");
    // As if the other slot had sealed it before SEALING_KEY_IN_USE switched (both slots open).
    await env.DB.prepare("UPDATE webhook_subscriptions SET sealed_with = '2' WHERE id = ?").bind(subscription.id).run();
    const before = await env.DB.prepare("SELECT secret FROM webhook_subscriptions WHERE id = ?")
      .bind(subscription.id)
      .first<{ secret: string }>();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/10 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const after = await env.DB.prepare("SELECT secret, sealed_with FROM webhook_subscriptions WHERE id = ?").bind(subscription.id).first();
    expect(after).toEqual({ secret: expect.not.stringMatching(before!.secret), sealed_with: env.SEALING_KEY_IN_USE });
    expect((await patch(await createCustomer(), { note: "after the reseal" }, writer)).status).toBe(200);
    expect((await receivedAtLeast("resealed", 1))[0]!.verified).toBe(true);
  });

  it("stops when deleted, and when its consumer may no longer read the feed", async () => {
    const deleted = await subscribe(reader.key, "deleted");
    expect((await request(`/webhooks/${deleted.id}/`, { method: "DELETE", key: reader.key })).status).toBe(204);
    const revoked = await createConsumer({ gdpr: "normal" });
    const orphan = await subscribe(revoked.key, "revoked");
    await env.DB.prepare("UPDATE api_consumers SET revoked_at = ? WHERE id = ?").bind(new Date().toISOString(), revoked.id).run();
    expect((await patch(await createCustomer(), { note: "nobody hears" }, writer)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await received("deleted")).toEqual([]);
    expect(await received("revoked")).toEqual([]);
    const row = await env.DB.prepare("SELECT status, disabled_reason FROM webhook_subscriptions WHERE id = ?").bind(orphan.id).first();
    expect(row).toEqual({ status: "disabled", disabled_reason: "no_access" });
  });
});
