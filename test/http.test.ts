import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { fetchWith, unavailable } from "./env-doubles";
import { auditOf, BASE, createConsumer, createCustomer, patch, readCustomer, request } from "./helpers";

let key: string;
beforeAll(async () => {
  ({ key } = await createConsumer());
});

describe("every response", () => {
  it("carries X-Request-Id, Server-Timing and nosniff, and no CORS headers", async () => {
    for (const res of [
      await exports.default.fetch("http://api.test/health"),
      await exports.default.fetch("http://api.test/nowhere"),
      await request("/customers/1/", { method: "PATCH", headers: { Origin: "https://evil.example" } }),
      await patch(await createCustomer(), { note: "x" }, key, { Origin: "https://portal.example" }),
    ]) {
      expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get("Server-Timing")).toMatch(/^db;desc="round-trips=\d+";dur=\d+(\.\d+)?$/);
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect([...res.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
    }
  });

  it("echoes a valid X-Request-Id and replaces an invalid one", async () => {
    const id = await createCustomer();
    const valid = await patch(id, {}, key, { "X-Request-Id": "billing-run_42-abc" });
    expect(valid.headers.get("X-Request-Id")).toBe("billing-run_42-abc");
    for (const bad of ["has space", "x".repeat(256), "semi;colon"]) {
      const res = await patch(id, {}, key, { "X-Request-Id": bad });
      expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe("routes", () => {
  it("GET /health answers without authentication", async () => {
    const res = await exports.default.fetch("http://api.test/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("an unknown path is 404 Not found.", async () => {
    const res = await request("/nothing-here/", { key });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ details: "Not found." });
  });

  for (const [path, method, allow] of [
    ["/customers/1/", "PUT", "GET, HEAD, PATCH, DELETE"],
    ["/customers/1/", "POST", "GET, HEAD, PATCH, DELETE"],
    ["/customers/1", "OPTIONS", "GET, HEAD, PATCH, DELETE"],
    ["/customers/", "PUT", "GET, HEAD, POST, PATCH"],
    ["/customers/", "OPTIONS", "GET, HEAD, POST, PATCH"],
    ["/customers", "DELETE", "GET, HEAD, POST, PATCH"],
    ["/customers/1/changes/", "POST", "GET, HEAD"],
    ["/customers/1/changes/", "DELETE", "GET, HEAD"],
    ["/changes/", "POST", "GET, HEAD"],
  ]) {
    it(`${method} ${path} is 405 with Allow: ${allow}`, async () => {
      const res = await request(path!, { method, key });
      expect(res.status).toBe(405);
      expect(res.headers.get("Allow")).toBe(allow);
      expect(await res.json()).toEqual({ details: `Method "${method}" not allowed.` });
    });
  }

  it("405 comes after authentication, as in DRF", async () => {
    const res = await request("/customers/1/", { method: "PUT" });
    expect(res.status).toBe(401);
  });
});

describe("request bodies", () => {
  it("over 64 KiB → 413, nothing written", async () => {
    const id = await createCustomer({ note: "before" });
    const res = await patch(id, { note: "x".repeat(64 * 1024) }, key);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ details: "Request body is too large." });
    expect(await readCustomer(id)).toMatchObject({ note: "before" });
  });

  it("over 64 KiB without Content-Length (streamed) → 413", async () => {
    const id = await createCustomer();
    const chunk = new TextEncoder().encode(`{"note": "${"y".repeat(40_000)}`);
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await request(`/customers/${id}/`, {
      method: "PATCH",
      key,
      headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
      body,
      // @ts-expect-error: a streamed request body needs duplex in the Fetch standard
      duplex: "half",
    });
    expect(res.status).toBe(413);
  });

  it("exactly 64 KiB is accepted as far as size goes", async () => {
    const id = await createCustomer();
    const padding = 64 * 1024 - JSON.stringify({ note: "" }).length;
    const res = await patch(id, JSON.stringify({ note: " ".repeat(padding) }), key);
    expect(res.status).toBe(200);
  });

  for (const [type, shown] of [
    ["text/plain", "text/plain"],
    ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded"],
    ["application/xml; charset=utf-8", "application/xml; charset=utf-8"],
  ] as const) {
    it(`Content-Type ${type} → 415`, async () => {
      const id = await createCustomer({ note: "before" });
      const res = await patch(id, { note: "after" }, key, { "Content-Type": type });
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({ details: `Unsupported media type "${shown}" in request.` });
      expect(await readCustomer(id)).toMatchObject({ note: "before" });
    });
  }

  it("a body without Content-Type → 415", async () => {
    const id = await createCustomer();
    const res = await request(`/customers/${id}/`, { method: "PATCH", key, body: new TextEncoder().encode('{"note": "x"}') });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ details: 'Unsupported media type "" in request.' });
  });

  it("application/json with a charset and application/merge-patch+json are accepted", async () => {
    const id = await createCustomer();
    for (const type of ["application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"]) {
      expect((await patch(id, { note: type }, key, { "Content-Type": type })).status).toBe(200);
    }
  });
});

describe("database unavailable", () => {
  it("→ 503 with Retry-After, and nothing is written", async () => {
    const id = await createCustomer({ note: "before" });
    for (const db of [unavailable(env.DB), unavailable(env.DB, "batch")]) {
      const res = await fetchWith(
        db,
        new Request(`${BASE}/customers/${id}/`, {
          method: "PATCH",
          headers: { Authorization: `Token ${key}`, "Content-Type": "application/json" },
          body: JSON.stringify({ note: "after" }),
        }),
      );
      expect(res.status).toBe(503);
      expect(res.headers.get("Retry-After")).toBe("5");
      expect(await res.json()).toEqual({ details: "Service temporarily unavailable." });
    }
    expect(await readCustomer(id)).toMatchObject({ note: "before", version: 1 });
    expect(await auditOf(id)).toEqual([]);
  });

  it("/health → 503", async () => {
    const res = await fetchWith(unavailable(env.DB), new Request("http://api.test/health"));
    expect(res.status).toBe(503);
  });
});
