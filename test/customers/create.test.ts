import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { fetchWith, heldBatches } from "../env-doubles";
import { auditOf, BASE, createConsumer, patch, readCustomer, request, sha256 } from "../helpers";

let key: string;
let consumerId: number;
beforeAll(async () => {
  ({ key, id: consumerId } = await createConsumer({ gdpr: "normal" }));
});

function post(body: unknown, headers: Record<string, string> = {}, as = key) {
  return request("/customers/", {
    method: "POST",
    key: as,
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const countCustomers = async () => (await env.DB.prepare("SELECT count(*) AS n FROM customers").first<{ n: number }>())!.n;

describe("POST /customers/", () => {
  it("creates the customer: 201 with Location, ETag, the whole customer and its audit row", async () => {
    const res = await post({ name: " Uusi Asiakas ", email: "uusi@example.fi", country: "fi", cooperative_sum: 10 });
    expect(res.status).toBe(201);
    const body = await res.json<Record<string, unknown>>();
    expect(res.headers.get("Location")).toBe(`${BASE}/customers/${body.id}/`);
    expect(res.headers.get("ETag")).toBe('"1"');
    expect(body).toMatchObject({
      name: "Uusi Asiakas",
      email: "uusi@example.fi",
      country: "FI",
      cooperative_sum: "10.00",
      no_sms: false,
      two_sms_numbers: false,
      editable_by_customer: false,
      cooperative_member: false,
      customer_number: null,
      address: null,
    });
    expect(body.modified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(await readCustomer(body.id as number)).toMatchObject({ name: "Uusi Asiakas", version: 1 });
    const [entry] = await auditOf(body.id as number);
    expect(entry).toMatchObject({
      action: "create",
      consumer_id: consumerId,
      request_id: res.headers.get("X-Request-Id"),
      at: body.modified,
    });
    expect(JSON.parse(entry!.fields)).toEqual(["name", "email", "country", "cooperative_sum"]);
  });

  it("requires a name", async () => {
    const before = await countCustomers();
    const res = await post({ email: "x@example.fi" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ name: ["This field is required."] });
    expect(await countCustomers()).toBe(before);
  });

  it("validates as PATCH does, every field at once, references included", async () => {
    const res = await post({ name: "", email: "bad", address: 77, bogus: 1 });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      name: ["This field may not be blank."],
      email: ["Enter a valid email address."],
      address: ['Invalid pk "77" - object does not exist.'],
      bogus: ["Unknown field."],
    });
  });

  it("refuses a taken customer number", async () => {
    expect((await post({ name: "A", customer_number: "C-UNIQUE-1" })).status).toBe(201);
    const res = await post({ name: "B", customer_number: "C-UNIQUE-1" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ customer_number: ["Customer with this customer number already exists."] });
  });

  it("refuses reimbursement before the cooperative date", async () => {
    const res = await post({ name: "A", cooperative_date: "2026-02-02", cooperative_reimbursement_date: "2026-02-01" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ non_field_errors: ["cooperative_reimbursement_date may not be before cooperative_date."] });
  });

  it("ignores the read-only id", async () => {
    const res = await post({ id: 4242, name: "Not 4242" });
    expect((await res.json<{ id: number }>()).id).not.toBe(4242);
  });

  it("GDPR access none cannot create (name is personal data)", async () => {
    const none = await createConsumer({ gdpr: "none" });
    const res = await post({ name: "X" }, {}, none.key);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ details: "You do not have permission to change these fields: name." });
  });

  it("needs the customers:write scope", async () => {
    const reader = await createConsumer({ scopes: "customers:read" });
    expect((await post({ name: "X" }, {}, reader.key)).status).toBe(403);
  });

  it("setting a restricted type at level extended needs access extended", async () => {
    const res = await post({ name: "X", restricted_type: 2 });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ details: "You do not have permission to change these fields: restricted_type." });
  });
});

describe("Idempotency-Key", () => {
  it("a retry with the same key and body answers with the first customer and creates nothing", async () => {
    const headers = { "Idempotency-Key": `retry-${crypto.randomUUID()}` };
    const first = await post({ name: "Once" }, headers);
    const before = await countCustomers();
    const again = await post({ name: "Once" }, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await again.json()).toEqual(await first.json());
    expect(await countCustomers()).toBe(before);
  });

  it("the replay answers the first result, whatever has changed since", async () => {
    const headers = { "Idempotency-Key": `later-${crypto.randomUUID()}` };
    const first = await post({ name: "Before", country: "se", no_sms: "yes" }, headers);
    const firstBody = await first.json<{ id: number }>();
    expect((await patch(firstBody.id, { note: "changed", name: "After" }, key)).status).toBe(200);
    const replay = await post({ name: "Before", country: "se", no_sms: "yes" }, headers);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("ETag")).toBe('"1"');
    expect(replay.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await replay.json()).toEqual(firstBody);
  });

  it("the same key with another body → 409", async () => {
    const headers = { "Idempotency-Key": `other-${crypto.randomUUID()}` };
    await post({ name: "First" }, headers);
    const res = await post({ name: "Second" }, headers);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ details: "This Idempotency-Key was already used with another request body." });
  });

  it("keys are per consumer", async () => {
    const headers = { "Idempotency-Key": `shared-${crypto.randomUUID()}` };
    const other = await createConsumer();
    const a = await (await post({ name: "Same" }, headers)).json<{ id: number }>();
    const b = await (await post({ name: "Same" }, headers, other.key)).json<{ id: number }>();
    expect(b.id).not.toBe(a.id);
  });

  it("concurrent requests with one key create one customer", async () => {
    const headers = { "Idempotency-Key": `race-${crypto.randomUUID()}` };
    const before = await countCustomers();
    const responses = await Promise.all(Array.from({ length: 6 }, () => post({ name: "Racer" }, headers)));
    expect(responses.map((res) => res.status)).toEqual(Array(6).fill(201));
    expect(new Set(responses.map((res) => res.headers.get("Location"))).size).toBe(1);
    expect(await countCustomers()).toBe(before + 1);
  });

  it("a retry that found no record, and writes after the first request has: it answers the first result, it does not replace it", async () => {
    const idempotencyKey = `late-${crypto.randomUUID()}`;
    const headers = { Authorization: `Token ${key}`, "Content-Type": "application/json", "Idempotency-Key": idempotencyKey };
    const before = await countCustomers();
    // The retry looks for the key's record (there is none yet), then its write is held…
    const held = heldBatches(env.DB);
    const retry = fetchWith(
      held.db,
      new Request(`${BASE}/customers/`, { method: "POST", headers, body: JSON.stringify({ name: "Late" }) }),
    );
    while (!held.state.waiting) await new Promise((resolve) => setTimeout(resolve, 5));
    // …while the first request creates the customer and the key's record.
    const first = await post({ name: "Late" }, { "Idempotency-Key": idempotencyKey });
    held.state.release();
    const second = await retry;
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await countCustomers()).toBe(before + 1);
  });

  it("a key older than 24 hours is forgotten", async () => {
    const keyValue = `old-${crypto.randomUUID()}`;
    const first = await (await post({ name: "Old" }, { "Idempotency-Key": keyValue })).json<{ id: number }>();
    const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000 - 1000).toISOString();
    await env.DB.prepare("UPDATE idempotency_keys SET created_at = ? WHERE key_hash = ?")
      .bind(dayAgo, await sha256(keyValue))
      .run();
    const second = await (await post({ name: "Old" }, { "Idempotency-Key": keyValue })).json<{ id: number }>();
    expect(second.id).not.toBe(first.id);
  });

  it("a malformed key → 400", async () => {
    const res = await post({ name: "X" }, { "Idempotency-Key": "x".repeat(256) });
    expect(res.status).toBe(400);
  });

  it("keeps the first result sealed: the record holds no personal data, nor the body's hash, that the database alone can read", async () => {
    const keyValue = `private-${crypto.randomUUID()}`;
    const body = { name: "Salainen Nimi", email: "salainen@example.fi" };
    const { id } = await (await post(body, { "Idempotency-Key": keyValue })).json<{ id: number }>();
    const kept = await env.DB.prepare("SELECT * FROM idempotency_keys WHERE key_hash = ?")
      .bind(await sha256(keyValue))
      .first();
    expect(Object.keys(kept!).sort()).toEqual(["consumer_id", "copy", "created_at", "customer_id", "key_hash"]);
    expect(kept!.customer_id).toBe(id);
    const stored = JSON.stringify(kept);
    for (const text of ["Salainen", "salainen", await sha256(JSON.stringify(body))]) expect(stored).not.toContain(text);
    // Two records of the same creation would not be alike either: each seal has a fresh nonce.
    expect(kept!.copy).toMatch(/^[\w-]{100,}$/);
  });

  it("opens a copy only for the consumer and key it was sealed for: one moved to another record is no answer", async () => {
    const body = { name: "Sama Runko" };
    const keys = [`moved-${crypto.randomUUID()}`, `moved-${crypto.randomUUID()}`];
    const created = [];
    for (const keyValue of keys) created.push(await (await post(body, { "Idempotency-Key": keyValue })).json<{ id: number }>());
    // Someone with the database moves the second record's copy into the first.
    await env.DB.prepare("UPDATE idempotency_keys SET copy = (SELECT copy FROM idempotency_keys WHERE key_hash = ?2) WHERE key_hash = ?1")
      .bind(await sha256(keys[0]!), await sha256(keys[1]!))
      .run();
    expect((await post(body, { "Idempotency-Key": keys[0]! })).status).toBe(404);
    expect(await (await post(body, { "Idempotency-Key": keys[1]! })).json()).toEqual(created[1]);
  });

  it("erasing the customer overwrites and clears the record's copy, and a replay is 404", async () => {
    const keyValue = `private-${crypto.randomUUID()}`;
    const body = { name: "Salainen Nimi", email: "salainen@example.fi" };
    const { id } = await (await post(body, { "Idempotency-Key": keyValue })).json<{ id: number }>();
    const keyHash = await sha256(keyValue);
    expect((await request(`/customers/${id}/`, { method: "DELETE", key })).status).toBe(204);
    const after = await env.DB.prepare("SELECT * FROM idempotency_keys WHERE key_hash = ?").bind(keyHash).first();
    expect(after).toEqual({ consumer_id: consumerId, key_hash: keyHash, customer_id: id, created_at: expect.any(String), copy: null });
    const replay = await post(body, { "Idempotency-Key": keyValue });
    expect(replay.status).toBe(404);
    expect((await post({ name: "Another body" }, { "Idempotency-Key": keyValue })).status).toBe(404);
  });

  it("keeps no client's key as text: only its SHA-256", async () => {
    const keyValue = `Aino Virtanen ${crypto.randomUUID()}`;
    expect((await post({ name: "A" }, { "Idempotency-Key": keyValue.replaceAll(" ", "-") })).status).toBe(201);
    const { results } = await env.DB.prepare("SELECT * FROM idempotency_keys").all();
    expect(JSON.stringify(results)).not.toContain("Aino-Virtanen");
  });
});
