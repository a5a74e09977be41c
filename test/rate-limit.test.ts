import { describe, expect, it, vi } from "vitest";
import { createConsumer, createCustomer, patch, readCustomer } from "./helpers";

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
    // The address is then refused before any D1 query, even with a valid key not seen yet; another is free.
    const { key } = await createConsumer();
    expect((await from("203.0.113.7", key)).status).toBe(429);
    expect((await from("203.0.113.8", key)).status).toBe(200);
    // Once verified, the key is known and no longer counts against any address.
    expect((await from("203.0.113.7", key)).status).toBe(200);
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
