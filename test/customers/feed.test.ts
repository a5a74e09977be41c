import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, createConsumer, createCustomer, get, patch, request } from "../helpers";

type Entry = {
  id: number;
  customer: number;
  consumer: number | null;
  request_id: string | null;
  at: string;
  action: string;
  fields: string[];
};
type Feed = { next: string; results: Entry[] };

let normal: string;
let extended: string;
beforeAll(async () => {
  ({ key: normal } = await createConsumer({ gdpr: "normal" }));
  ({ key: extended } = await createConsumer({ gdpr: "extended" }));
});

const feed = async (key: string, query = "") => {
  const res = await get(`/changes/${query}`, key);
  expect(res.status).toBe(200);
  return res.json<Feed>();
};
const path = (url: string) => url.slice(BASE.length);
/** The whole feed from the start, page by page; the pages and the cursor to poll later. */
async function readAll(key: string, limit = 3) {
  const entries: Entry[] = [];
  let page = await feed(key, `?limit=${limit}`);
  for (;;) {
    entries.push(...page.results);
    if (page.results.length < limit) return { entries, next: page.next };
    page = await (await get(path(page.next), key)).json<Feed>();
  }
}

describe("GET /api/v2/changes/", () => {
  it("lists every entry oldest first, paged by an opaque cursor that is always given; resuming there misses nothing", async () => {
    const id = await createCustomer();
    for (let i = 0; i < 4; i++) expect((await patch(id, { note: `n${i}` }, normal)).status).toBe(200);
    const { entries, next } = await readAll(normal);
    // An entry is its customer's and its number in that customer's trail: each appears once, in order.
    const keys = entries.map((entry) => `${entry.customer}:${entry.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    const own = entries.filter((entry) => entry.customer === id);
    expect(own.map((entry) => [entry.id, entry.fields])).toEqual([
      [2, ["note"]],
      [3, ["note"]],
      [4, ["note"]],
      [5, ["note"]],
    ]);
    expect(new URL(next).searchParams.get("after")).toMatch(/^[\w-]+$/);
    expect(new URL(next).searchParams.get("limit")).toBe("3");
    // Caught up: the stored cursor answers nothing new until something changes, then exactly that.
    expect((await (await get(path(next), normal)).json<Feed>()).results).toEqual([]);
    await patch(id, { note: "later" }, normal);
    const later = await (await get(path(next), normal)).json<Feed>();
    expect(later.results.map((entry) => [entry.customer, entry.fields])).toEqual([[id, ["note"]]]);
  });

  it("shows an erasure as a delete entry with ids only", async () => {
    const id = await createCustomer();
    await patch(id, { note: "before erasure" }, normal);
    expect((await request(`/customers/${id}/`, { method: "DELETE", key: normal })).status).toBe(204);
    const trail = (await readAll(normal, 1000)).entries.filter((entry) => entry.customer === id);
    const erasure = trail.at(-1);
    // Numbered after the entries before it, as every entry of a trail is.
    expect(trail.map((entry) => entry.id)).toEqual(trail.map((_, i) => trail[0]!.id + i));
    expect(erasure).toEqual({
      id: trail.at(-2)!.id + 1,
      customer: id,
      consumer: null,
      request_id: null,
      at: expect.any(String),
      action: "delete",
      fields: [],
    });
  });

  it("hides hidden customers; one that becomes hidden appears as an erasure, and one that reappears as a creation", async () => {
    const id = await createCustomer();
    await patch(id, { note: "visible" }, normal);
    await patch(id, { restricted_type: 2, note: "hidden now" }, extended);
    await patch(id, { note: "while hidden" }, extended);
    await patch(id, { restricted_type: null }, extended);
    const hiddenFromStart = await createCustomer({ restricted_type: 2 });
    await patch(hiddenFromStart, { note: "secret" }, extended);

    const seenByNormal = (await readAll(normal, 1000)).entries.filter(
      (entry) => entry.customer === id || entry.customer === hiddenFromStart,
    );
    expect(seenByNormal.map((entry) => [entry.customer, entry.action, entry.fields])).toEqual([
      [id, "update", ["note"]],
      [id, "delete", []],
      [id, "create", ["restricted_type"]],
    ]);
    expect(seenByNormal[1]).toMatchObject({ consumer: null, request_id: null });
    const seenByExtended = (await readAll(extended, 1000)).entries.filter(
      (entry) => entry.customer === id || entry.customer === hiddenFromStart,
    );
    expect(seenByExtended.map((entry) => [entry.customer, entry.action])).toEqual([
      [id, "update"],
      [id, "update"],
      [id, "update"],
      [id, "update"],
      [hiddenFromStart, "update"],
    ]);
    // Who hid the customer, and in which request, is the extended consumer's to know.
    expect(seenByExtended[1]).toMatchObject({ consumer: expect.any(Number), request_id: expect.any(String) });
  });

  it("needs customers:read and GDPR access normal; a bad cursor is 404, a bad limit 400", async () => {
    expect((await get("/changes/", (await createConsumer({ scopes: "customers:write" })).key)).status).toBe(403);
    expect((await get("/changes/", (await createConsumer({ gdpr: "none" })).key)).status).toBe(403);
    const bad = await get("/changes/?after=not-a-cursor", normal);
    expect(bad.status).toBe(404);
    expect(await bad.json()).toEqual({ details: "Invalid cursor" });
    expect((await get("/changes/?limit=1001", normal)).status).toBe(400);
    expect((await request("/changes/", { method: "POST", key: normal })).status).toBe(405);
  });

  it("skips and repeats no entry while writes go on (concurrent writers, a reader paging all the while)", async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, () => createCustomer()));
    const { next: start } = await readAll(normal, 1000);
    const writers = ids.map(async (id) => {
      for (let i = 0; i < 15; i++) await patch(id, { note: `w${i}` }, normal);
    });
    const seen: Entry[] = [];
    let cursor = path(start);
    let writing = true;
    const done = Promise.all(writers).then(() => {
      writing = false;
    });
    while (writing) {
      const page = await (await get(cursor, normal)).json<Feed>();
      seen.push(...page.results);
      cursor = path(page.next);
    }
    await done;
    for (;;) {
      const page = await (await get(cursor, normal)).json<Feed>();
      if (!page.results.length) break;
      seen.push(...page.results);
      cursor = path(page.next);
    }
    const { results } = await env.DB.prepare(
      `SELECT customer_id, version FROM customer_changes WHERE customer_id IN (${ids.join(",")}) ORDER BY id`,
    ).all<{ customer_id: number; version: number }>();
    const mine = seen.filter((entry) => ids.includes(entry.customer)).map((entry) => [entry.customer, entry.id]);
    expect(mine).toEqual(results.map((row) => [row.customer_id, row.version]));
    expect(mine).toHaveLength(60);
  });
});
