import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hashKey } from "../src/auth/keys";
import { createConsumer, createCustomer, patch, readCustomer, roundTrips } from "./helpers";

const NOT_PROVIDED = { details: "Authentication credentials were not provided" };
const INVALID = { details: "Invalid token." };

async function withAuthorization(authorization: string | undefined) {
  const id = await createCustomer({ note: "before" });
  const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
  const res = await patch(id, { note: "after" }, "", headers);
  return { res, id };
}

describe("401", () => {
  for (const [label, header] of [
    ["no Authorization header", undefined],
    ["an empty header", ""],
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["a key without a scheme", "0123456789abcdef0123456789abcdef01234567"],
  ] as const) {
    it(`${label} → credentials were not provided`, async () => {
      const { res, id } = await withAuthorization(header);
      expect(res.status).toBe(401);
      expect(res.headers.get("WWW-Authenticate")).toBe("Token");
      expect(await res.json()).toEqual(NOT_PROVIDED);
      expect(await readCustomer(id)).toMatchObject({ note: "before" });
    });
  }

  it("unknown, malformed, revoked and expired keys → Invalid token., each after the same one D1 query", async () => {
    const revoked = await createConsumer({ revoked: true });
    const expired = await createConsumer({ expiresAt: "2020-01-01T00:00:00.000Z" });
    const headers = [
      `Token ${"0".repeat(40)}`, // unknown
      "Token short", // malformed
      `Token ${"A".repeat(40)}`, // upper-case hex is not a key
      "Token", // no key
      `Token ${"0".repeat(40)} extra`, // two keys
      `Token ${revoked.key}`,
      `Bearer ${expired.key}`,
    ];
    for (const header of headers) {
      const { res, id } = await withAuthorization(header);
      expect(res.status, header).toBe(401);
      expect(res.headers.get("WWW-Authenticate")).toBe("Token");
      expect(await res.json()).toEqual(INVALID);
      expect(roundTrips(res), header).toBe(1);
      expect(await readCustomer(id)).toMatchObject({ note: "before" });
    }
  });
});

describe("schemes", () => {
  for (const scheme of ["Token", "token", "TOKEN", "Bearer", "bearer"]) {
    it(`accepts ${scheme} <key>`, async () => {
      const { key } = await createConsumer();
      const { res } = await withAuthorization(`${scheme} ${key}`);
      expect(res.status).toBe(200);
    });
  }

  it("accepts a key that expires in the future", async () => {
    const { key } = await createConsumer({ expiresAt: "2999-01-01T00:00:00.000Z" });
    expect((await withAuthorization(`Token ${key}`)).res.status).toBe(200);
  });
});

describe("403", () => {
  it("without the customers:write scope", async () => {
    const { key } = await createConsumer({ scopes: "customers:read" });
    const { res, id } = await withAuthorization(`Token ${key}`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ details: "You do not have permission to perform this action." });
    expect(await readCustomer(id)).toMatchObject({ note: "before" });
  });
});

describe("keys at rest", () => {
  it("the consumers table holds the key's SHA-256 hash and never the key", async () => {
    const { key, id } = await createConsumer();
    const row = await env.DB.prepare("SELECT * FROM api_consumers WHERE id = ?").bind(id).first<Record<string, unknown>>();
    expect(row!.key_hash).toBe(await hashKey(key));
    expect(row!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const { results } = await env.DB.prepare("SELECT * FROM api_consumers").all();
    expect(JSON.stringify(results)).not.toContain(key);
  });
});
