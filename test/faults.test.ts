import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { fetchWith, fetchWithEnv, hanging, unavailable } from "./env-doubles";
import { auditOf, BASE, createConsumer, createCustomer, patch, readCustomer, request } from "./helpers";

let key: string;
/** A consumer whose audit rows fail to insert. */
let faulty: string;
beforeAll(async () => {
  ({ key } = await createConsumer());
  const { key: faultyKey, id: faultyId } = await createConsumer();
  faulty = faultyKey;
  // Statements that fail on demand, inside the real D1, for the requests that ask for it.
  await env.DB.batch([
    env.DB.prepare(
      `CREATE TRIGGER fail_audit BEFORE INSERT ON customer_changes WHEN NEW.consumer_id = ${faultyId} BEGIN SELECT RAISE(ABORT, 'injected audit failure'); END`,
    ),
    env.DB.prepare(
      "CREATE TRIGGER fail_update BEFORE UPDATE ON customers WHEN NEW.note = 'fault-update' BEGIN SELECT RAISE(ABORT, 'injected update failure'); END",
    ),
  ]);
});

const customersCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM customers").first<{ n: number }>())!.n;

const patchRequest = (id: number, body: object, as: string) =>
  new Request(`${BASE}/customers/${id}/`, {
    method: "PATCH",
    headers: { Authorization: `Token ${as}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("when a statement fails inside the batch", () => {
  it("a failing audit insert rolls the customer update back", async () => {
    const id = await createCustomer({ note: "before" });
    const res = await patch(id, { note: "after", email: "x@example.fi" }, faulty);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ details: "A server error occurred." });
    expect(await readCustomer(id)).toMatchObject({ note: "before", email: null, version: 1 });
    expect(await auditOf(id)).toEqual([]);
  });

  it("a failing update leaves no audit row", async () => {
    const id = await createCustomer({ note: "before" });
    const res = await patch(id, { note: "fault-update" }, key);
    expect(res.status).toBe(500);
    expect(await readCustomer(id)).toMatchObject({ note: "before", version: 1 });
    expect(await auditOf(id)).toEqual([]);
  });

  it("a failing audit insert leaves no created customer", async () => {
    const before = await customersCount();
    const res = await request("/customers/", {
      method: "POST",
      key: faulty,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Never Created" }),
    });
    expect(res.status).toBe(500);
    expect(await customersCount()).toBe(before);
  });

  it("a failing audit insert leaves the customer undeleted", async () => {
    const id = await createCustomer();
    const res = await request(`/customers/${id}/`, { method: "DELETE", key: faulty });
    expect(res.status).toBe(500);
    expect(await readCustomer(id)).not.toBeNull();
  });
});

describe("when D1 itself fails", () => {
  for (const [label, db] of [
    ["loses its connection on every query", () => unavailable(env.DB)],
    ["loses its connection on the write", () => unavailable(env.DB, "batch")],
    ["never answers the write (time-out)", () => hanging(env.DB, "batch")],
    ["never answers at all (time-out)", () => hanging(env.DB)],
  ] as const) {
    it(`${label}: 503 with Retry-After, nothing written`, async () => {
      const { key: fresh } = await createConsumer();
      const id = await createCustomer({ note: "before" });
      // A key not verified yet fails on its lookup; a known one on the write.
      for (const as of [fresh, key]) {
        const res = await fetchWith(db(), patchRequest(id, { note: "after" }, as));
        expect(res.status).toBe(503);
        expect(res.headers.get("Retry-After")).toBe("5");
        expect(await res.json()).toEqual({ details: "Service temporarily unavailable." });
      }
      expect(await readCustomer(id)).toMatchObject({ note: "before", version: 1 });
      expect(await auditOf(id)).toEqual([]);
    });
  }
});

describe("an incomplete configuration (an environment of wrangler.toml that lacks a binding)", () => {
  it("answers 500 with a log line that names what is missing, and /health names it too", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    const { key } = await createConsumer();
    const lacking = { RATE_LIMIT_STANDARD: undefined, SEALING_KEY_1: "" } as never;
    const res = await fetchWithEnv(lacking, new Request(`${BASE}/customers/1/`, { headers: { Authorization: `Token ${key}` } }));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ details: "A server error occurred." });
    const health = await fetchWithEnv(lacking, new Request("http://api.test/health"));
    expect(health.status).toBe(500);
    expect(await health.json()).toEqual({ status: "misconfigured", missing: ["RATE_LIMIT_STANDARD", "SEALING_KEY_1"] });
    spy.mockRestore();
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: "configuration_error", missing: ["RATE_LIMIT_STANDARD", "SEALING_KEY_1"] });
    expect(lines[0]).toContain("declare them in wrangler.toml");
  });

  it("refuses a sealing key shorter than 32 bytes, or a slot that does not exist, as it refuses a missing one", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    const { key } = await createConsumer();
    // 31 bytes ("ä" is two), then exactly 32: the boundary.
    const short = { SEALING_KEY_2: `${"ä".repeat(15)}x`, SEALING_KEY_IN_USE: "3" } as never;
    const res = await fetchWithEnv(short, new Request(`${BASE}/customers/1/`, { headers: { Authorization: `Token ${key}` } }));
    expect(res.status).toBe(500);
    const health = await fetchWithEnv(short, new Request("http://api.test/health"));
    expect(await health.json()).toEqual({ status: "misconfigured", missing: [], invalid: ["SEALING_KEY_2", "SEALING_KEY_IN_USE"] });
    spy.mockRestore();
    expect(lines[0]).toContain("at least 32 bytes");
    const enough = await fetchWithEnv({ SEALING_KEY_2: `${"ä".repeat(16)}` } as never, new Request("http://api.test/health"));
    expect(enough.status).toBe(200);
  });
});
