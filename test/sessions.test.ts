// D1 sessions (read replication) and the bookmark a client keeps for reading its own writes: D1's
// bookmark moves with every write, a hidden customer's included, so a client gets it sealed
// (docs/read-replication.md).
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fetchWith } from "./env-doubles";
import { BASE, createConsumer, createCustomer, get, patch } from "./helpers";

const D1_BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** D1 whose sessions are the real ones, noting the bookmark each starts from and each ends at. */
function recording() {
  const opened: (string | undefined)[] = [];
  const ended: string[] = [];
  const db = {
    withSession: (bookmark?: string) => {
      opened.push(bookmark);
      const session = env.DB.withSession(bookmark);
      return {
        prepare: (sql: string) => session.prepare(sql),
        batch: (statements: D1PreparedStatement[]) => session.batch(statements),
        getBookmark: () => {
          const latest = session.getBookmark();
          if (latest) ended.push(latest);
          return latest;
        },
      };
    },
  } as unknown as D1Database;
  return { db, opened, ended };
}

const headersOf = (key: string, bookmark?: string) => ({
  Authorization: `Token ${key}`,
  "Content-Type": "application/json",
  ...(bookmark ? { "X-D1-Bookmark": bookmark } : {}),
});

describe("the bookmark a client gets", () => {
  it("is sealed: not D1's, different every time, and its length does not grow with the writes between", async () => {
    const { key } = await createConsumer();
    const { key: extended } = await createConsumer({ gdpr: "extended" });
    const id = await createCustomer();
    const hidden = await createCustomer({ restricted_type: 2 });
    const first = (await get(`/customers/${id}/`, key)).headers.get("X-D1-Bookmark")!;
    const again = (await get(`/customers/${id}/`, key)).headers.get("X-D1-Bookmark")!;
    for (let i = 0; i < 5; i++) await patch(hidden, { note: `hidden ${i}` }, extended);
    const after = (await get(`/customers/${id}/`, key)).headers.get("X-D1-Bookmark")!;
    for (const token of [first, again, after]) {
      expect(token).toMatch(/^[\w-]{80,}$/);
      expect(token).not.toMatch(D1_BOOKMARK);
    }
    expect(new Set([first, again, after]).size).toBe(3);
    expect(new Set([first.length, again.length, after.length]).size).toBe(1);
  });

  it("is sent only on authenticated answers: not on /health, not on a 401", async () => {
    const health = await exports.default.fetch("http://api.test/health");
    expect(health.status).toBe(200);
    const refused = await get("/customers/1/", "0".repeat(40));
    expect(refused.status).toBe(401);
    for (const res of [health, refused]) expect(res.headers.get("X-D1-Bookmark")).toBeNull();
  });

  it("sent back, starts the next request's session where the write's ended (read your own writes); anything else is ignored", async () => {
    const { key } = await createConsumer();
    const id = await createCustomer();
    const { db, opened, ended } = recording();
    const write = await fetchWith(
      db,
      new Request(`${BASE}/customers/${id}/`, { method: "PATCH", headers: headersOf(key), body: JSON.stringify({ note: "fresh" }) }),
    );
    const token = write.headers.get("X-D1-Bookmark")!;
    const written = ended.at(-1)!;
    expect(written).toMatch(D1_BOOKMARK);
    const altered = `${token.slice(0, -2)}${token.endsWith("A") ? "B" : "A"}`;
    for (const sent of [token, altered, written, "not-a-bookmark", undefined]) {
      const read = await fetchWith(db, new Request(`${BASE}/customers/${id}/`, { headers: headersOf(key, sent) }));
      expect(await read.json()).toMatchObject({ note: "fresh" });
    }
    // Only the sealed token opens: D1's own bookmark, sent as it is, is not taken either.
    expect(opened.slice(1)).toEqual([written, "first-unconstrained", "first-unconstrained", "first-unconstrained", "first-unconstrained"]);
  });
});
