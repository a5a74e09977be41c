// Cursor mode of the list (pagination=cursor): DRF's CursorPagination shape, a stateless sealed cursor,
// and the recipe for an exact copy: walk the pages, then replay the change feed from `changes`.
import { env } from "cloudflare:test";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ORDERINGS } from "../../src/db/filters";
import { fetchWithEnv } from "../env-doubles";
import { BASE, createConsumer, createCustomer, get, patch, request } from "../helpers";

type Customer = { id: number; customer_number: string | null; modified: string; status: number | null; type: number | null } & Record<
  string,
  unknown
>;
type CursorPage = { next: string | null; previous: null; results: Customer[]; changes?: string };
type Entry = { customer: number; action: string };

let normal: { key: string; id: number };
let extended: { key: string; id: number };
let other: { key: string; id: number };
beforeAll(async () => {
  normal = await createConsumer({ gdpr: "normal" });
  extended = await createConsumer({ gdpr: "extended" });
  other = await createConsumer({ gdpr: "normal" });
});
afterEach(() => vi.useRealTimers());

// Each test lists only its own customers: they share a water database of their own.
let lastGroup = 100;
async function newGroup(): Promise<number> {
  const id = ++lastGroup;
  await env.DB.prepare("INSERT INTO water_databases (id, name) VALUES (?, 'Test')").bind(id).run();
  return id;
}

const path = (url: string) => url.slice(BASE.length);
async function page(url: string, key: string) {
  const res = await get(url, key);
  expect(res.status, await res.clone().text()).toBe(200);
  const body = await res.json<CursorPage>();
  expect(body.previous).toBeNull();
  return body;
}

/** Follows the pages from the first to the end; `between` runs after each page but the last. */
async function walk(query: string, key: string, between: (served: Customer[]) => Promise<void> = async () => {}) {
  const first = await page(`/customers/?pagination=cursor&${query}`, key);
  const served = [...first.results];
  for (let current = first; current.next; ) {
    await between(served);
    current = await page(path(current.next), key);
    served.push(...current.results);
  }
  return { first, served };
}

const listIds = async (query: string, key: string) =>
  (await (await get(`/customers/?${query}&limit=500`, key)).json<{ results: Customer[] }>()).results.map((customer) => customer.id);

describe("GET /api/v2/customers/?pagination=cursor", () => {
  it("answers DRF's CursorPagination shape, the first page with `changes`, in the list's order for every ordering", async () => {
    const group = await newGroup();
    const ids: number[] = [];
    for (const number of ["c-5", null, "c-1", null, "c-3", "c-2", null, "c-4", "c-0"]) {
      ids.push(await createCustomer({ water_database: group, customer_number: number && `${group}-${number}` }));
    }
    // One bulk update gives several customers the same `modified`: the id breaks the tie.
    const bulk = [ids[2], ids[4], ids[6]].map((id) => ({ id, note: "same time" }));
    expect(
      (
        await request("/customers/", {
          method: "PATCH",
          key: normal.key,
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(bulk),
        })
      ).status,
    ).toBe(200);
    for (const orderby of ORDERINGS) {
      for (const limit of [1, 2, 4, 9, 20]) {
        const query = `water_database=${group}&orderby=${orderby}&limit=${limit}`;
        const { first, served } = await walk(query, normal.key);
        expect(Object.keys(first)).toEqual(["next", "previous", "results", "changes"]);
        expect(first.changes).toMatch(/\/api\/v2\/changes\/\?after=[\w-]+&limit=100$/);
        expect(
          served.map((customer) => customer.id),
          `${orderby}, limit ${limit}`,
        ).toEqual(await listIds(query, normal.key));
      }
    }
  });

  it("pages through filters of every kind and no filter at all, reading about `limit` rows a page and writing none", async () => {
    const group = await newGroup();
    for (let i = 0; i < 40; i++) {
      await createCustomer({
        water_database: group,
        status: [null, 1, 2][i % 3],
        type: [null, 1, 2][(i % 4) % 3],
        customer_number: i % 5 ? `${group}-${i}` : null,
      });
    }
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    for (const filters of [
      `water_database=${group}`,
      `water_database=${group}&status=1`,
      `water_database=${group}&type=2`,
      `water_database=${group}&status=2&type=1`,
      "status=1",
      "type=2",
      "status=1&type=1",
      "",
    ]) {
      for (const orderby of ORDERINGS) {
        const query = `${filters}&orderby=${orderby}&limit=7`;
        lines.length = 0;
        const { served } = await walk(query, normal.key);
        expect(
          served.map((customer) => customer.id),
          query,
        ).toEqual(await listIds(`${filters}&orderby=${orderby}`, normal.key));
        const logged = lines.filter((line) => line.startsWith('{"time"')).map((line) => JSON.parse(line));
        for (const entry of logged.slice(0, -1)) {
          // A page of 7, plus the one that tells whether more follow, plus one look-ahead row for each of at
          // most 18 index ranges it merges (9 combinations of the open dimensions, 2 keyset segments each).
          expect(entry.db_rows_read, query).toBeLessThanOrEqual(7 + 1 + 18);
          expect(entry.db_rows_written, query).toBe(0);
        }
      }
    }
  });

  it("answers 400 naming what it can page for a date range in another order than modified", async () => {
    const res = await get("/customers/?pagination=cursor&modified__gte=2026-01-01&orderby=id", normal.key);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      orderby: ["Cursor mode pages a date range (modified__gte, modified__lt) only in orderby=modified or orderby=-modified."],
    });
    expect((await get("/customers/?pagination=cursor&modified__gte=2026-01-01&orderby=-modified", normal.key)).status).toBe(200);
  });

  it("refuses a cursor of another consumer, another query, altered, expired, or of a retired secret: 404 Invalid cursor", async () => {
    const group = await newGroup();
    for (let i = 0; i < 3; i++) await createCustomer({ water_database: group });
    const query = `water_database=${group}&limit=1&pagination=cursor`;
    const { next } = await page(`/customers/?${query}`, normal.key);
    const cursor = new URL(next!).searchParams.get("cursor")!;
    const invalid = { details: "Invalid cursor" };
    const tries = [
      get(path(next!), other.key),
      get(`/customers/?water_database=${group + 1}&limit=1&cursor=${cursor}`, normal.key),
      get(`/customers/?${query}&orderby=-id&cursor=${cursor}`, normal.key),
      get(`/customers/?${query}&cursor=${cursor.slice(0, -2)}${cursor.endsWith("A") ? "B" : "A"}`, normal.key),
      get(`/customers/?${query}&cursor=not-a-cursor`, normal.key),
      // A cursor of the change feed is not one of the list's.
      get(
        `/customers/?${query}&cursor=${new URL((await page(`/customers/?${query}`, normal.key)).changes!).searchParams.get("after")}`,
        normal.key,
      ),
    ];
    for (const res of await Promise.all(tries)) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual(invalid);
    }
    // A rotation (a new key in the other slot, which then seals) keeps the cursors of the slot before
    // readable; once that slot is overwritten by the next rotation, they are not.
    const rotated = { SEALING_KEY_2: "a new sealing key of 32 bytes or more", SEALING_KEY_IN_USE: "2" };
    const send = (bindings: object) =>
      fetchWithEnv(bindings, new Request(next!, { headers: { Authorization: `Token ${normal.key}`, "CF-Connecting-IP": "192.0.2.7" } }));
    expect((await send(rotated)).status).toBe(200);
    expect((await send({ ...rotated, SEALING_KEY_1: "the rotation after it, 32 bytes or more" })).status).toBe(404);
    // A cursor lasts 30 days.
    vi.useFakeTimers({ now: Date.now() + 29 * 86_400_000, toFake: ["Date"] });
    expect((await get(path(next!), normal.key)).status).toBe(200);
    vi.setSystemTime(Date.now() + 2 * 86_400_000);
    expect((await get(path(next!), normal.key)).status).toBe(404);
  });

  it("keeps no state: a cursor served again gives the same page, and the cursor tells nothing of the position", async () => {
    const group = await newGroup();
    for (let i = 0; i < 4; i++) await createCustomer({ water_database: group, customer_number: `${group}-secret-${i}` });
    const { next } = await page(`/customers/?water_database=${group}&orderby=customer_number&limit=2&pagination=cursor`, normal.key);
    const [once, twice] = [await page(path(next!), normal.key), await page(path(next!), normal.key)];
    expect(twice.results).toEqual(once.results);
    const cursor = new URL(next!).searchParams.get("cursor")!;
    expect(atob(cursor.replaceAll("-", "+").replaceAll("_", "/"))).not.toContain("secret");
  });
});

/**
 * What an integration does with the `changes` link after its walk (the README's recipe): replay the feed
 * into its copy, a page at a time, with one list read of the page's customers and its own filters.
 */
async function replay(changesUrl: string, copy: Map<number, Customer>, filters: string) {
  let reads = 0;
  for (let url = path(changesUrl); ; ) {
    const feed = await (await get(url, normal.key)).json<{ next: string; results: Entry[] }>();
    const ids = [...new Set(feed.results.map((entry) => entry.customer))];
    if (ids.length) {
      const read = await (await get(`/customers/?id__in=${ids.join(",")}&${filters}&limit=100`, normal.key)).json<{
        results: Customer[];
      }>();
      reads++;
      const now = new Map(read.results.map((customer) => [customer.id, customer]));
      for (const id of ids) now.has(id) ? copy.set(id, now.get(id)!) : copy.delete(id);
    }
    if (feed.results.length < 100) return reads;
    url = path(feed.next);
  }
}

describe("an exact copy: the walk, then the change feed from `changes`", () => {
  const write = fc.oneof(
    fc.record({ op: fc.constant("renumber"), pick: fc.nat(), number: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }) }),
    fc.record({ op: fc.constant("touch"), pick: fc.nat() }),
    fc.record({ op: fc.constant("status"), pick: fc.nat(), value: fc.constantFrom(null, 1, 2) }),
    fc.record({ op: fc.constant("create"), number: fc.integer({ min: 0, max: 40 }), status: fc.constantFrom(null, 1, 2) }),
    fc.record({ op: fc.constant("erase"), pick: fc.nat() }),
    fc.record({ op: fc.constant("hide"), pick: fc.nat() }),
    fc.record({ op: fc.constant("unhide"), pick: fc.nat() }),
  );

  it("holds for any ordering, filter, page size and writes between the pages", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ORDERINGS),
        fc.constantFrom(undefined, 1, 2),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.constantFrom(null, 1, 2), { minLength: 3, maxLength: 9 }),
        fc.array(fc.array(write, { maxLength: 4 }), { maxLength: 6 }),
        async (orderby, status, limit, statuses, writes) => {
          const group = await newGroup();
          const ids: number[] = [];
          for (const [i, value] of statuses.entries())
            ids.push(await createCustomer({ water_database: group, status: value, customer_number: i % 3 ? `${group}-${i}` : null }));
          const numbered = (n: number) => `${group}-w${n}`;
          const pick = (n: number) => ids[n % ids.length]!;
          const json = { "Content-Type": "application/json" };
          const apply = async (w: (typeof writes)[number][number]) => {
            switch (w.op) {
              case "renumber":
                return patch(pick(w.pick), { customer_number: w.number === null ? null : numbered(w.number) }, extended.key);
              case "touch":
                return patch(pick(w.pick), { note: crypto.randomUUID() }, extended.key);
              case "status":
                return patch(pick(w.pick), { status: w.value }, extended.key);
              case "create": {
                const body = { name: "New", water_database: group, status: w.status, customer_number: numbered(100 + w.number) };
                const res = await request("/customers/", { method: "POST", key: extended.key, headers: json, body: JSON.stringify(body) });
                if (res.status === 201) ids.push((await res.json<Customer>()).id);
                return res;
              }
              case "erase":
                return request(`/customers/${pick(w.pick)}/`, { method: "DELETE", key: extended.key });
              case "hide":
                return patch(pick(w.pick), { restricted_type: 2 }, extended.key);
              case "unhide":
                return patch(pick(w.pick), { restricted_type: null }, extended.key);
            }
          };
          const filters = `water_database=${group}${status === undefined ? "" : `&status=${status}`}`;
          let round = 0;
          const { first, served } = await walk(`${filters}&orderby=${orderby}&limit=${limit}`, normal.key, async () => {
            for (const w of writes[round++] ?? []) await apply(w);
          });
          const copy = new Map(served.map((customer) => [customer.id, customer]));
          expect(await replay(first.changes!, copy, filters)).toBeLessThanOrEqual(1);
          const expected = (await (await get(`/customers/?${filters}&limit=500`, normal.key)).json<{ results: Customer[] }>()).results;
          expect([...copy.values()].sort((a, b) => a.id - b.id)).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
  });
});
