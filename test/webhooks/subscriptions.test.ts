// Webhook subscriptions through the API: what a consumer makes, reads, changes and deletes, the rules
// of their URLs, the limit, another consumer's (404), the secret (shown once, kept sealed), and what a
// write costs with 0 or 100 of them.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createConsumer, createCustomer, patch, request } from "../helpers";
import { hookUrl, type Subscription, subscribe } from "./receiver";

let key: string;
beforeAll(async () => {
  ({ key } = await createConsumer({ gdpr: "normal" }));
});

const json = { "Content-Type": "application/json" };
const post = (body: unknown, as = key) => request("/webhooks/", { method: "POST", key: as, headers: json, body: JSON.stringify(body) });
const change = (id: string, body: unknown, as = key) =>
  request(`/webhooks/${id}/`, { method: "PATCH", key: as, headers: json, body: JSON.stringify(body) });

describe("POST /api/v2/webhooks/", () => {
  it("subscribes: 201 with the secret, shown in this answer only", async () => {
    const res = await post({ url: hookUrl("made"), description: "Billing sync" });
    expect(res.status).toBe(201);
    const made = await res.json<Subscription & Record<string, unknown>>();
    expect(made).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      url: hookUrl("made"),
      description: "Billing sync",
      status: "active",
      disabled_reason: null,
      created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      failing_since: null,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const { secret, ...withoutSecret } = made;
    const read = await request(`/webhooks/${made.id}/`, { key });
    expect(await read.json()).toEqual(withoutSecret);
    const list = await (await request("/webhooks/", { key })).json<Record<string, unknown>[]>();
    expect(list).toContainEqual(withoutSecret);
    // Kept sealed: the database holds neither the secret nor its key bytes.
    const row = await env.DB.prepare("SELECT * FROM webhook_subscriptions WHERE id = ?").bind(made.id).first();
    expect(JSON.stringify(row)).not.toContain(secret.slice("whsec_".length, -1));
  });

  it("refuses a URL that is not https (http only to this machine, where allowed), with credentials, or not a URL", async () => {
    for (const [url, message] of [
      ["http://billing.example.fi/hooks", "Enter a URL that starts with https://."],
      ["ftp://billing.example.fi/hooks", "Enter a URL that starts with https://."],
      ["https://user:password@billing.example.fi/hooks", "Enter a URL without a user name or password."],
      ["billing.example.fi/hooks", "Enter a valid URL."],
      ["https://", "Enter a valid URL."],
      ["", "This field may not be blank."],
      [`https://billing.example.fi/${"x".repeat(2048)}`, "Ensure this field has no more than 2048 characters."],
    ]) {
      const res = await post({ url });
      expect(res.status, url).toBe(400);
      expect(await res.json()).toEqual({ url: [message] });
    }
    // This deployment allows local receivers (WEBHOOKS_ALLOW_LOCALHOST, as under npm run dev).
    for (const url of ["http://localhost:9/hook", "http://127.0.0.1:9/hook", "https://billing.example.fi/hooks"]) {
      const res = await post({ url });
      expect(res.status, url).toBe(201);
      await request(`/webhooks/${(await res.json<Subscription>()).id}/`, { method: "DELETE", key });
    }
  });

  it("reports every field at once, in DRF's words, unknown fields included", async () => {
    const res = await post({ url: "http://billing.example.fi", description: "x".repeat(201), status: "active", secret: "mine" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      url: ["Enter a URL that starts with https://."],
      description: ["Ensure this field has no more than 200 characters."],
      status: ["Unknown field."],
      secret: ["Unknown field."],
    });
    expect(await (await post({})).json()).toEqual({ url: ["This field is required."] });
  });

  it("allows 10 subscriptions a consumer, whatever other consumers have", async () => {
    const { key: own } = await createConsumer();
    for (let i = 0; i < 10; i++) expect((await post({ url: hookUrl(`ten-${i}`) }, own)).status).toBe(201);
    const eleventh = await post({ url: hookUrl("eleventh") }, own);
    expect(eleventh.status).toBe(400);
    expect(await eleventh.json()).toEqual({ non_field_errors: ["A consumer may have at most 10 webhook subscriptions."] });
    const { key: other } = await createConsumer();
    expect((await post({ url: hookUrl("other") }, other)).status).toBe(201);
  });

  it("needs customers:read and GDPR access normal, as the change feed does", async () => {
    for (const consumer of [{ gdpr: "none" as const }, { scopes: "customers:write" }]) {
      const { key: lacking } = await createConsumer(consumer);
      expect((await post({ url: hookUrl("lacking") }, lacking)).status).toBe(403);
      expect((await request("/webhooks/", { key: lacking })).status).toBe(403);
    }
  });
});

describe("one subscription", () => {
  it("is 404 for another consumer, on every operation, exactly as one that does not exist", async () => {
    const mine = await subscribe(key, "mine");
    const { key: other } = await createConsumer();
    const missing = crypto.randomUUID();
    for (const id of [mine.id, missing, "not-a-uuid"]) {
      for (const [method, path, body] of [
        ["GET", "", undefined],
        ["PATCH", "", { description: "theirs" }],
        ["DELETE", "", undefined],
        ["POST", "rotate-secret/", undefined],
        ["GET", "deliveries/", undefined],
      ] as const) {
        const res = await request(`/webhooks/${id}/${path}`, {
          method,
          key: other,
          headers: json,
          body: body && JSON.stringify(body),
        });
        expect(res.status, `${method} ${id} ${path}`).toBe(404);
        expect(await res.json()).toEqual({ details: "Not found." });
      }
    }
    expect(await (await request(`/webhooks/${mine.id}/`, { key })).json()).toMatchObject({ description: "mine", status: "active" });
  });

  it("changes its URL and description, is paused and resumed, and deleted", async () => {
    const made = await subscribe(key, "changed");
    const changed = await change(made.id, { url: hookUrl("changed-2"), description: "new" });
    expect(await changed.json()).toMatchObject({ url: hookUrl("changed-2"), description: "new", status: "active" });
    expect(await (await change(made.id, { status: "disabled" })).json()).toMatchObject({
      status: "disabled",
      disabled_reason: "Disabled by its consumer.",
    });
    expect(await (await change(made.id, { status: "active" })).json()).toMatchObject({ status: "active", disabled_reason: null });
    const refused = await change(made.id, { status: "paused", url: "http://example.fi" });
    expect(await refused.json()).toEqual({
      url: ["Enter a URL that starts with https://."],
      status: ['"paused" is not a valid choice.'],
    });
    expect((await request(`/webhooks/${made.id}/`, { method: "DELETE", key })).status).toBe(204);
    expect((await request(`/webhooks/${made.id}/`, { key })).status).toBe(404);
    expect((await request(`/webhooks/${made.id}/`, { method: "DELETE", key })).status).toBe(404);
  });

  it("rotates its secret: a new one, shown once, and sealed like the first", async () => {
    const made = await subscribe(key, "rotated");
    const res = await request(`/webhooks/${made.id}/rotate-secret/`, { method: "POST", key });
    expect(res.status).toBe(200);
    const { secret } = await res.json<{ secret: string }>();
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(made.secret);
    const row = await env.DB.prepare("SELECT * FROM webhook_subscriptions WHERE id = ?").bind(made.id).first();
    for (const shown of [secret, made.secret]) expect(JSON.stringify(row)).not.toContain(shown.slice("whsec_".length, -1));
    expect(row).toMatchObject({ previous_secret: expect.any(String), previous_secret_until: expect.any(String) });
  });
});

describe("what a write costs", () => {
  /** D1's rows read and written by one request, from its access-log line. */
  async function rowsOf(send: () => Promise<Response>) {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const res = await send();
    spy.mockRestore();
    expect(res.status).toBe(200);
    const { db_rows_read, db_rows_written } = JSON.parse(lines.find((line) => line.startsWith('{"time"') && line.includes('"route"'))!);
    return { db_rows_read, db_rows_written };
  }

  it("is the same with 0 and with 100 subscriptions: a PATCH does nothing for a subscriber", async () => {
    const customer = await createCustomer({ note: "n" });
    const { key: writer } = await createConsumer();
    const before = await rowsOf(() => patch(customer, { note: "zero subscriptions" }, writer));
    await env.DB.prepare("UPDATE webhook_subscriptions SET status = 'disabled'").run();
    for (let consumer = 0; consumer < 10; consumer++) {
      const { key: subscriber } = await createConsumer();
      for (let i = 0; i < 10; i++)
        expect((await post({ url: `https://receiver-${consumer}-${i}.example.fi/` }, subscriber)).status).toBe(201);
    }
    const count = await env.DB.prepare("SELECT count(*) AS n FROM webhook_subscriptions WHERE status = 'active'").first<{ n: number }>();
    expect(count!.n).toBe(100);
    expect(await rowsOf(() => patch(customer, { note: "a hundred subscriptions" }, writer))).toEqual(before);
    await env.DB.prepare("UPDATE webhook_subscriptions SET status = 'disabled'").run();
  });
});
