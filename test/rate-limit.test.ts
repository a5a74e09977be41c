import { describe, expect, it, vi } from "vitest";
import { createConsumer, createCustomer, patch, readCustomer, roundTrips } from "./helpers";

// vitest.config.ts sets the test limits: standard 10, high 15, new keys per address 5, per minute.

async function statuses(send: () => Promise<Response>, times: number) {
  const responses: Response[] = [];
  for (let i = 0; i < times; i++) responses.push(await send());
  return responses;
}

describe("rate limits", () => {
  it("a standard consumer over its limit gets 429 with Retry-After, and nothing is written", async () => {
    const { key } = await createConsumer({ tier: "standard" });
    const id = await createCustomer();
    const responses = await statuses(() => patch(id, {}, key), 10);
    expect(responses.map((res) => res.status)).toEqual(Array(10).fill(200));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const res = await patch(id, { note: "too many" }, key);
    expect(JSON.parse(String(log.mock.calls.at(-1)?.[0])).event).toBe("rate_limit_exceeded");
    log.mockRestore();
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("60");
    expect(await res.json()).toEqual({ details: "Request was throttled." });
    expect(await readCustomer(id)).toMatchObject({ note: null, version: 1 });
  });

  it("the high tier has its own, larger limit", async () => {
    const { key } = await createConsumer({ tier: "high" });
    const id = await createCustomer();
    const responses = await statuses(() => patch(id, {}, key), 16);
    expect(responses.map((res) => res.status)).toEqual([...Array(15).fill(200), 429]);
  });

  it("the unlimited tier (bulk sync jobs) is not limited", async () => {
    const { key } = await createConsumer({ tier: "unlimited" });
    const id = await createCustomer();
    const responses = await statuses(() => patch(id, {}, key), 30);
    expect(responses.every((res) => res.status === 200)).toBe(true);
  });

  it("each consumer has its own count", async () => {
    const a = await createConsumer({ tier: "standard" });
    const b = await createConsumer({ tier: "standard" });
    const id = await createCustomer();
    await statuses(() => patch(id, {}, a.key), 11);
    expect((await patch(id, {}, b.key)).status).toBe(200);
  });

  it("failed keys are limited per client address: guessing is slowed down", async () => {
    const id = await createCustomer();
    const from = (address: string, key: string) => patch(id, {}, key, { "CF-Connecting-IP": address });
    const guesses = await statuses(() => from("203.0.113.7", crypto.randomUUID().replaceAll("-", "").slice(0, 40)), 5);
    expect(guesses.map((res) => res.status)).toEqual(Array(5).fill(401));
    const blocked = await from("203.0.113.7", "0".repeat(40));
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("Retry-After")).toBe("60");
    // Another address is free.
    expect((await from("203.0.113.8", "1".repeat(40))).status).toBe(401);
  });

  it("a valid key is never refused because of other keys' failures from its address (one NAT, many integrations)", async () => {
    const id = await createCustomer();
    const from = (key: string) => patch(id, {}, key, { "CF-Connecting-IP": "203.0.113.20" });
    const guesses = await statuses(() => from(crypto.randomUUID().replaceAll("-", "").padEnd(40, "0")), 8);
    expect(guesses.map((res) => res.status)).toEqual([...Array(5).fill(401), ...Array(3).fill(429)]);
    // A key this isolate has never verified, from the blocked address: looked up and served.
    const { key } = await createConsumer();
    const res = await from(key);
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(2);
    // The guesser is still refused.
    expect((await from("f".repeat(40))).status).toBe(429);
  });
});

describe("X-RateLimit-Limit", () => {
  it("tells a limited consumer its tier's limit a minute, and says nothing for the unlimited tier", async () => {
    const id = await createCustomer();
    const standard = await createConsumer({ tier: "standard" });
    const high = await createConsumer({ tier: "high" });
    const unlimited = await createConsumer({ tier: "unlimited" });
    expect((await patch(id, {}, standard.key)).headers.get("X-RateLimit-Limit")).toBe("10");
    expect((await patch(id, {}, high.key)).headers.get("X-RateLimit-Limit")).toBe("15");
    expect((await patch(id, {}, unlimited.key)).headers.has("X-RateLimit-Limit")).toBe(false);
  });
});
