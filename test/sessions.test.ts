import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { counting, fetchWith } from "./env-doubles";
import { BASE, createConsumer, createCustomer, get, patch } from "./helpers";

const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

describe("D1 sessions (read replication)", () => {
  it("every response that touched D1 carries the session's bookmark", async () => {
    const { key } = await createConsumer();
    const id = await createCustomer();
    for (const res of [await patch(id, { note: "x" }, key), await get(`/customers/${id}/`, key), await get("/customers/", key)]) {
      expect(res.headers.get("X-D1-Bookmark")).toMatch(BOOKMARK);
    }
  });

  it("a write's bookmark sent back gives a read at least that fresh (read your own writes)", async () => {
    const { key } = await createConsumer();
    const id = await createCustomer();
    const write = await patch(id, { note: "fresh" }, key);
    const bookmark = write.headers.get("X-D1-Bookmark")!;
    const read = await get(`/customers/${id}/`, key, { "X-D1-Bookmark": bookmark });
    expect(await read.json()).toMatchObject({ note: "fresh" });
    // Bookmarks order lexically; the read's session is at or after the write.
    expect(read.headers.get("X-D1-Bookmark")! >= bookmark).toBe(true);
  });

  it("the bookmark a request sends starts its D1 session; a malformed one is ignored", async () => {
    const { key } = await createConsumer();
    const id = await createCustomer();
    const opened: (string | undefined)[] = [];
    const spy = {
      withSession: (bookmark?: string) => {
        opened.push(bookmark);
        return counting(env.DB).db.withSession(bookmark);
      },
    } as unknown as D1Database;
    const bookmark = (await patch(id, { note: "b" }, key)).headers.get("X-D1-Bookmark")!;
    for (const sent of [bookmark, "not-a-bookmark", undefined]) {
      const headers: Record<string, string> = { Authorization: `Token ${key}` };
      if (sent) headers["X-D1-Bookmark"] = sent;
      const res = await fetchWith(spy, new Request(`${BASE}/customers/${id}/`, { headers }));
      expect(res.status).toBe(200);
    }
    expect(opened).toEqual([bookmark, "first-unconstrained", "first-unconstrained"]);
  });
});
