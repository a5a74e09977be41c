// What the security review found (docs/security.md), each through HTTP against the Worker and its D1.
import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { KEY_CACHE_TTL_MS } from "../src/auth/authenticate";
import { auditOf, createConsumer, createCustomer, get, patch, readCustomer, request } from "./helpers";

const NON_DISCLOSURE = 2; // a restricted type at level extended
const NOT_FOUND = { details: "Not found." };

let normal: string;
beforeAll(async () => {
  ({ key: normal } = await createConsumer({ gdpr: "normal" }));
});

const post = (body: unknown, key: string, headers: Record<string, string> = {}) =>
  request("/customers/", { method: "POST", key, headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });

/** Status, body and the headers a client could compare. */
async function answer(res: Response) {
  return { status: res.status, body: await res.text(), etag: res.headers.get("ETag"), location: res.headers.get("Location") };
}

describe("a consumer without customers:read never receives a customer's data", () => {
  it("PATCH answers 204 without a body or an ETag, {} and an empty body included; the change is made", async () => {
    const { key } = await createConsumer({ scopes: "customers:write" });
    const id = await createCustomer({ name: "Salainen Henkilö", phone: "+358 1" });
    for (const body of [{}, ""]) {
      const res = await patch(id, body, key);
      expect(res.status).toBe(204);
      expect(res.headers.get("ETag")).toBeNull();
      expect(await res.text()).toBe("");
    }
    const res = await patch(id, { note: "changed" }, key);
    expect(res.status).toBe(204);
    expect(res.headers.get("ETag")).toBeNull();
    expect(await res.text()).toBe("");
    expect(await readCustomer(id)).toMatchObject({ note: "changed", version: 2 });
    expect(await auditOf(id)).toHaveLength(1);
  });

  it("a bulk PATCH answers 204 without a body; the changes are made", async () => {
    const { key } = await createConsumer({ scopes: "customers:write" });
    const ids = [await createCustomer({ name: "Salainen Yksi" }), await createCustomer({ name: "Salainen Kaksi" })];
    const res = await request("/customers/", {
      method: "PATCH",
      key,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(ids.map((id) => ({ id, note: "bulk" }))),
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    for (const id of ids) expect(await readCustomer(id)).toMatchObject({ note: "bulk", version: 2 });
  });

  it("POST answers 201 with Location and only the new id (no ETag), and so does its replay", async () => {
    const { key } = await createConsumer({ scopes: "customers:write" });
    const headers = { "Idempotency-Key": `wo-${crypto.randomUUID()}` };
    for (const res of [await post({ name: "Uusi" }, key, headers), await post({ name: "Uusi" }, key, headers)]) {
      expect(res.status).toBe(201);
      expect(res.headers.get("ETag")).toBeNull();
      const id = /\/api\/v2\/customers\/(\d+)\/$/.exec(res.headers.get("Location")!)![1];
      expect(await res.json()).toEqual({ id: Number(id) });
    }
  });
});

describe("every route refuses a key without its scope", () => {
  const routes: [string, string, string, unknown?][] = [
    ["GET", "/customers/", "customers:read"],
    ["GET", "/customers/1/", "customers:read"],
    ["GET", "/customers/1/changes/", "customers:read"],
    ["PATCH", "/customers/1/", "customers:write", { note: "x" }],
    ["POST", "/customers/", "customers:write", { name: "x" }],
    ["DELETE", "/customers/1/", "customers:write"],
  ];
  for (const [method, path, scope, body] of routes) {
    it(`${method} ${path} needs ${scope}`, async () => {
      const other = scope === "customers:read" ? "customers:write" : "customers:read";
      const { key } = await createConsumer({ scopes: other });
      const init = body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
      const res = await request(path, { method, key, ...init });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ details: "You do not have permission to perform this action." });
    });
  }
});

describe("keys", () => {
  afterEach(() => vi.useRealTimers());

  it("are stored as their SHA-256 (a fixed vector, not the function under test)", async () => {
    const key = "0123456789abcdef0123456789abcdef01234567";
    await env.DB.prepare(
      "INSERT INTO api_consumers (name, scopes, gdpr_access, key_hash, rate_tier) VALUES ('vector', 'customers:read', 'normal', ?, 'unlimited')",
    )
      .bind("deb87fabd17715bb31ad4cf4ffb9494eeb15f8d33d85b031a301c64ab3417eaa")
      .run();
    expect((await get(`/customers/${await createCustomer()}/`, key)).status).toBe(200);
  });

  it("a revoked key that is cached works until the cache's 30 seconds are over, and never after", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { key, id } = await createConsumer();
    const customer = await createCustomer();
    expect((await get(`/customers/${customer}/`, key)).status).toBe(200); // verified and cached
    await env.DB.prepare("UPDATE api_consumers SET revoked_at = ? WHERE id = ?").bind(new Date().toISOString(), id).run();
    expect(KEY_CACHE_TTL_MS).toBe(30_000);
    vi.advanceTimersByTime(KEY_CACHE_TTL_MS - 1_000);
    expect((await get(`/customers/${customer}/`, key)).status).toBe(200);
    vi.advanceTimersByTime(1_001);
    const res = await get(`/customers/${customer}/`, key);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ details: "Invalid token." });
  });
});

describe("a hidden customer and an id that never existed get identical answers", () => {
  let hidden: number;
  const NUMBER = `HID-${crypto.randomUUID()}`.slice(0, 40);
  const NEVER = 999_999;
  beforeAll(async () => {
    hidden = await createCustomer({ customer_number: NUMBER, restricted_type: NON_DISCLOSURE });
  });

  it("a customer number a hidden customer holds: the same answer for any target, and it says nothing of a customer", async () => {
    const visible = await createCustomer();
    const bodies = [{ customer_number: NUMBER }, { customer_number: NUMBER, email: "bad" }];
    for (const body of bodies) {
      const onHidden = await answer(await patch(hidden, body, normal));
      const onNever = await answer(await patch(NEVER, body, normal));
      expect(onHidden).toEqual(onNever);
    }
    // The target's own number, with another field wrong: a hidden id is not excluded as its holder.
    const onHidden = await answer(await patch(hidden, bodies[1], normal));
    expect(onHidden).toEqual({
      status: 400,
      body: JSON.stringify({ customer_number: ["This customer number cannot be used."], email: ["Enter a valid email address."] }),
      etag: null,
      location: null,
    });
    const onVisible = await patch(visible, { customer_number: NUMBER }, normal);
    expect(onVisible.status).toBe(400);
    expect(await onVisible.json()).toEqual({ customer_number: ["This customer number cannot be used."] });
    const created = await post({ name: "X", customer_number: NUMBER }, normal);
    expect(await created.json()).toEqual({ customer_number: ["This customer number cannot be used."] });
    expect(await readCustomer(visible)).toMatchObject({ customer_number: null, version: 1 });
  });

  it("customer numbers compare byte for byte, as Django compares them: a full-width twin is another number", async () => {
    const ascii = `HID-${crypto.randomUUID().slice(0, 8)}`;
    const fullWidth = [...ascii]
      .map((char) => (char >= "!" && char <= "~" ? String.fromCodePoint(char.codePointAt(0)! + 0xfee0) : char))
      .join("");
    await createCustomer({ customer_number: ascii, restricted_type: NON_DISCLOSURE });
    const created = await post({ name: "Twin", customer_number: fullWidth }, normal);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ customer_number: fullWidth });
    expect(await (await post({ name: "Same", customer_number: ascii }, normal)).json()).toEqual({
      customer_number: ["This customer number cannot be used."],
    });
  });

  it("a valid body on a hidden id and on a missing id: 404 alike", async () => {
    for (const body of [{ note: "x" }, {}, { customer_number: NUMBER }]) {
      expect(await answer(await patch(hidden, body, normal))).toEqual(await answer(await patch(NEVER, body, normal)));
    }
  });

  it("an Idempotency-Key replay of a customer hidden since answers as one erased: 404, no data", async () => {
    const extended = await createConsumer({ gdpr: "extended" });
    const headers = { "Idempotency-Key": `hide-${crypto.randomUUID()}` };
    const first = await post({ name: "Piilotettava", email: "piilo@example.fi" }, normal, headers);
    const { id } = await first.json<{ id: number }>();
    expect((await patch(id, { restricted_type: NON_DISCLOSURE }, extended.key)).status).toBe(200);
    const replay = await post({ name: "Piilotettava", email: "piilo@example.fi" }, normal, headers);
    expect(replay.status).toBe(404);
    expect(await replay.json()).toEqual(NOT_FOUND);
  });
});

describe("request bodies", () => {
  it("an oversized chunked body gets 413 and leaves the next request unharmed", async () => {
    const id = await createCustomer({ note: "before" });
    const chunk = new TextEncoder().encode(`{"note": "${"x".repeat(70 * 1024)}"}`);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // 1 KiB at a time, with no Content-Length: the Worker sees a stream, as with Transfer-Encoding: chunked.
        controller.enqueue(chunk.slice(pulled, pulled + 1024));
        pulled += 1024;
        if (pulled >= chunk.length) controller.close();
      },
    });
    const res = await request(`/customers/${id}/`, {
      method: "PATCH",
      key: normal,
      headers: { "Content-Type": "application/json" },
      body,
      // @ts-expect-error: workerd's RequestInit knows no duplex, Node's needs it
      duplex: "half",
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ details: "Request body is too large." });
    expect(pulled).toBeGreaterThanOrEqual(chunk.length); // drained, not left half-read
    const next = await get(`/customers/${id}/`, normal);
    expect(next.status).toBe(200);
    expect(await readCustomer(id)).toMatchObject({ note: "before", version: 1 });
  });

  for (const text of [
    'x{"personal_id": "010101-123A"}',
    '{"personal_id": "010101-123A"} trailing',
    '{"personal_id": "010101-123A", "note": tru}',
  ]) {
    it(`a JSON parse error never quotes the body: ${JSON.stringify(text)}`, async () => {
      const res = await patch(await createCustomer(), text, normal);
      expect(res.status).toBe(400);
      const { details } = await res.json<{ details: string }>();
      expect(details).toMatch(/^JSON parse error - [A-Z][\w ',]+: line \d+ column \d+ \(char \d+\)$/);
      expect(details).not.toMatch(/010101|personal|trailing|tru/);
    });
  }
});

describe("erasure", () => {
  it("leaves no client-chosen text and no hash of the person's data", async () => {
    const headers = { "Idempotency-Key": `erase-${crypto.randomUUID()}`, "X-Request-Id": "Aino-Virtanen-import" };
    const created = await post({ name: "Aino Virtanen" }, normal, headers);
    const { id } = await created.json<{ id: number }>();
    expect(created.headers.get("X-Request-Id")).toBe("Aino-Virtanen-import");
    expect((await request(`/customers/${id}/`, { method: "DELETE", key: normal, headers: { "X-Request-Id": "erase-Aino" } })).status).toBe(
      204,
    );
    const tables = await Promise.all(
      ["customers", "customer_changes", "idempotency_keys"].map((table) => env.DB.prepare(`SELECT * FROM ${table}`).all()),
    );
    const everything = JSON.stringify(tables.map(({ results }) => results));
    expect(everything).not.toMatch(/Aino|Virtanen/);
    const [entry] = (await auditOf(id)).filter((change) => change.action === "delete");
    expect(entry!.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
