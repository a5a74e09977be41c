import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import app from "../src/index";
import { BASE, createConsumer, createCustomer, roundTrips } from "./helpers";

/**
 * Counts the calls that reach the D1 binding itself (each statement run or batch), independently of
 * the Worker's own meter, so that a change that adds a round trip fails here.
 */
function countingD1(d1: D1Database) {
  const calls: string[] = [];
  const statement = (inner: D1PreparedStatement, sql: string): D1PreparedStatement =>
    ({
      inner,
      bind: (...values: unknown[]) => statement(inner.bind(...values), sql),
      all: () => (calls.push(sql), inner.all()),
      run: () => (calls.push(sql), inner.run()),
      raw: (options?: { columnNames: true }) => (calls.push(sql), inner.raw(options as { columnNames: true })),
      first: (column?: string) => (calls.push(sql), column === undefined ? inner.first() : inner.first(column)),
    }) as unknown as D1PreparedStatement;
  const db = {
    prepare: (sql: string) => statement(d1.prepare(sql), sql),
    batch: (statements: { inner: D1PreparedStatement }[]) => (calls.push("batch"), d1.batch(statements.map((s) => s.inner))),
  } as unknown as D1Database;
  return { db, calls };
}

async function send(key: string, id: number, body: unknown, headers: Record<string, string> = {}) {
  const { db, calls } = countingD1(env.DB);
  const res = await app.fetch(
    new Request(`${BASE}/customers/${id}/`, {
      method: "PATCH",
      headers: { Authorization: `Token ${key}`, "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
    { ...env, DB: db },
    { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext,
  );
  expect(roundTrips(res)).toBe(calls.length);
  return { res, calls };
}

describe("D1 round trips per PATCH", () => {
  it("a key seen for the first time: 2 (the key, then the update with its audit row)", async () => {
    const { key } = await createConsumer();
    const { res, calls } = await send(key, await createCustomer(), { note: "cold" });
    expect(res.status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toBe("batch");
  });

  it("the happy path with a known key: exactly 1, a batch", async () => {
    const { key } = await createConsumer();
    const id = await createCustomer();
    await send(key, id, { note: "warm the key cache" });
    const { res, calls } = await send(key, id, { note: "hot", no_sms: true, email: "a@b.fi", address: null });
    expect(res.status).toBe(200);
    expect(calls).toEqual(["batch"]);
  });

  it("failure paths spend at most one more: 404, 412, a missing reference, unchanged values", async () => {
    const { key } = await createConsumer();
    const id = await createCustomer({ note: "same" });
    await send(key, id, {});
    const cases: [number, object, Record<string, string>, number][] = [
      [999_999, { note: "x" }, {}, 404],
      [id, { note: "x" }, { "If-Match": '"9"' }, 412],
      [id, { address: 4040 }, {}, 400],
      [id, { note: "same" }, {}, 200],
      [id, {}, {}, 200],
    ];
    for (const [target, body, headers, status] of cases) {
      const { res, calls } = await send(key, target, body, headers);
      expect(res.status).toBe(status);
      expect(calls.length).toBeLessThanOrEqual(2);
    }
  });

  it("a validation error with no reference to check costs nothing", async () => {
    const { key } = await createConsumer();
    const id = await createCustomer();
    await send(key, id, {});
    const { res, calls } = await send(key, id, { email: "nope", no_sms: "maybe" });
    expect(res.status).toBe(400);
    expect(calls).toEqual([]);
  });
});
