import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { counting, fetchWith } from "./env-doubles";
import { BASE, createConsumer, createCustomer, roundTrips } from "./helpers";

async function send(key: string, id: number, body: unknown, headers: Record<string, string> = {}) {
  const { db, calls } = counting(env.DB);
  const res = await fetchWith(
    db,
    new Request(`${BASE}/customers/${id}/`, {
      method: "PATCH",
      headers: { Authorization: `Token ${key}`, "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
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
