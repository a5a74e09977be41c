// Cursor mode of the list (pagination=cursor): DRF's CursorPagination shape, and every customer that
// exists from the first page to the last served exactly once, whatever is written between the pages.
import { env } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { EXPORTS_PER_CONSUMER } from "../../src/db/exports";
import { ORDERINGS } from "../../src/db/orderings";
import { BASE, createConsumer, createCustomer, get, patch, request } from "../helpers";

type Customer = { id: number; customer_number: string | null; modified: string };
type CursorPage = { next: string | null; previous: null; results: Customer[] };

let normal: string;
let extended: string;
let otherNormal: string;
beforeAll(async () => {
  ({ key: normal } = await createConsumer({ gdpr: "normal" }));
  ({ key: extended } = await createConsumer({ gdpr: "extended" }));
  ({ key: otherNormal } = await createConsumer({ gdpr: "normal" }));
});

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
  expect(res.status).toBe(200);
  const body = await res.json<CursorPage>();
  expect(Object.keys(body)).toEqual(["next", "previous", "results"]);
  expect(body.previous).toBeNull();
  return body;
}

/** Follows an export from its first page to its end; `between(n)` runs after the n-th page. */
async function exportAll(query: string, key: string, between: (pagesSeen: number, served: number[]) => Promise<void> = async () => {}) {
  const served: number[] = [];
  const limit = Number(new URLSearchParams(query).get("limit"));
  let current = await page(`/customers/?pagination=cursor&${query}`, key);
  for (let pages = 1; ; pages++) {
    expect(current.results.length).toBeLessThanOrEqual(limit);
    served.push(...current.results.map((customer) => customer.id));
    if (!current.next) return served;
    await between(pages, served);
    current = await page(path(current.next), key);
  }
}

const listIds = async (query: string, key: string) =>
  (await (await get(`/customers/?${query}&limit=500`, key)).json<{ results: Customer[] }>()).results.map((customer) => customer.id);

const bulk = (items: Record<string, unknown>[], key: string) =>
  request("/customers/", { method: "PATCH", key, headers: { "Content-Type": "application/json" }, body: JSON.stringify(items) });

describe("GET /api/v2/customers/?pagination=cursor", () => {
  it("serves, in every ordering, exactly the list's customers in the list's order, with `next` until the end and no count", async () => {
    const group = await newGroup();
    const ids: number[] = [];
    for (const number of ["c-5", null, "c-1", null, "c-3", "c-2", null, "c-4", "c-0"]) {
      ids.push(await createCustomer({ water_database: group, customer_number: number && `${group}-${number}` }));
    }
    // One bulk update gives several customers the same `modified`: the id breaks the tie.
    expect(
      (
        await bulk(
          [ids[2], ids[4], ids[6]].map((id) => ({ id, note: "same time" })),
          normal,
        )
      ).status,
    ).toBe(200);
    for (const orderby of ORDERINGS) {
      for (const limit of [1, 2, 4, 9, 20]) {
        const query = `water_database=${group}&orderby=${orderby}&limit=${limit}`;
        expect(await exportAll(query, normal), `${orderby}, limit ${limit}`).toEqual(await listIds(query, normal));
      }
    }
  });

  for (const orderby of ORDERINGS) {
    it(`serves each customer once while others move, appear and are erased between the pages (orderby=${orderby})`, async () => {
      const group = await newGroup();
      const number = (i: number | string) => `${group}-${i}`;
      const ids: number[] = [];
      for (let i = 10; i < 30; i++) ids.push(await createCustomer({ water_database: group, customer_number: number(i) }));
      const erased: number[] = [];
      const created: number[] = [];
      let renumbered = 0;
      const served = await exportAll(`water_database=${group}&orderby=${orderby}&limit=3`, normal, async (pages, seen) => {
        if (pages > 3) return;
        const ahead = ids.filter((id) => !seen.includes(id) && !erased.includes(id));
        const behind = seen.filter((id) => ids.includes(id) && !erased.includes(id));
        // Move customers not served yet to both ends, and served ones too; some twice, some by bulk.
        await patch(ahead[0]!, { customer_number: number(`0${renumbered++}`) }, normal);
        await patch(ahead.at(-1)!, { customer_number: number(`9${renumbered++}`) }, normal);
        await patch(ahead[1]!, { customer_number: null }, normal);
        await patch(ahead[1]!, { note: "twice" }, normal);
        await patch(behind[0]!, { customer_number: number(`9${renumbered++}`) }, normal);
        await patch(behind.at(-1)!, { customer_number: null, note: "moved back" }, normal);
        expect(
          (
            await bulk(
              [
                { id: ahead[2], note: `bulk ${pages}` },
                { id: behind[0], note: `bulk ${pages}` },
              ],
              normal,
            )
          ).status,
        ).toBe(200);
        erased.push(ahead[3]!);
        expect((await request(`/customers/${ahead[3]}/`, { method: "DELETE", key: normal })).status).toBe(204);
        created.push(await createCustomer({ water_database: group, customer_number: number(`5${pages}`) }));
      });
      expect(new Set(served).size).toBe(served.length);
      const throughout = ids.filter((id) => !erased.includes(id));
      expect(served.filter((id) => ids.includes(id)).sort()).toEqual(expect.arrayContaining(throughout));
      expect(served.filter((id) => !throughout.includes(id) && !created.includes(id)).every((id) => erased.includes(id))).toBe(true);
    });
  }

  it("serves each customer once while writes run at the same time as the pages are read", async () => {
    const group = await newGroup();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await createCustomer({ water_database: group, customer_number: `${group}-${100 + i}` }));
    let round = 0;
    const writes = async () => {
      const moved = ids.slice(0, 12).map((id, i) => ({ id, customer_number: `${group}-${(i * 37 + round * 11) % 97}-${round}` }));
      const answers = await Promise.all(moved.map(({ id, customer_number }) => patch(id, { customer_number }, normal)));
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    };
    const served: number[] = [];
    let current = await page(`/customers/?pagination=cursor&water_database=${group}&orderby=customer_number&limit=4`, normal);
    for (;;) {
      served.push(...current.results.map((customer) => customer.id));
      if (!current.next) break;
      round++;
      const [next] = await Promise.all([page(path(current.next), normal), writes()]);
      current = next;
    }
    expect(served.slice().sort((a, b) => a - b)).toEqual(ids);
  });

  it("serves each customer once for any ordering, page size and writes between the pages (property)", async () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant("renumber" as const), target: fc.nat(), number: fc.option(fc.integer({ min: 0, max: 99 })) }),
      fc.record({ kind: fc.constantFrom("touch" as const, "erase" as const, "hide" as const), target: fc.nat() }),
      fc.record({ kind: fc.constant("create" as const), number: fc.integer({ min: 0, max: 99 }) }),
    );
    let unique = 0;
    const numberOf = (group: number, n: number) => `${group}-${String(n).padStart(2, "0")}-${unique++}`;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ORDERINGS),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.option(fc.integer({ min: 0, max: 99 })), { minLength: 1, maxLength: 9 }),
        fc.array(fc.array(action, { maxLength: 3 }), { maxLength: 8 }),
        async (orderby, limit, numbers, gaps) => {
          const group = await newGroup();
          const ids: number[] = [];
          for (const n of numbers)
            ids.push(await createCustomer({ water_database: group, customer_number: n === null ? null : numberOf(group, n) }));
          const gone = new Set<number>();
          const created: number[] = [];
          const served = await exportAll(`water_database=${group}&orderby=${orderby}&limit=${limit}`, normal, async (pages) => {
            for (const step of gaps[pages - 1] ?? []) {
              const live = ids.filter((id) => !gone.has(id));
              const target = "target" in step ? live[step.target % Math.max(live.length, 1)] : undefined;
              if (step.kind === "create")
                created.push(await createCustomer({ water_database: group, customer_number: numberOf(group, step.number) }));
              if (target === undefined) continue;
              if (step.kind === "renumber") {
                await patch(target, { customer_number: step.number === null ? null : numberOf(group, step.number) }, normal);
              } else if (step.kind === "touch") {
                await patch(target, { note: `touched ${unique++}` }, normal);
              } else if (step.kind === "erase") {
                gone.add(target);
                expect((await request(`/customers/${target}/`, { method: "DELETE", key: normal })).status).toBe(204);
              } else if (step.kind === "hide") {
                gone.add(target);
                expect((await patch(target, { restricted_type: 2 }, extended)).status).toBe(200);
              }
            }
          });
          expect(new Set(served).size).toBe(served.length);
          expect(served).toEqual(expect.arrayContaining(ids.filter((id) => !gone.has(id))));
          expect(served.every((id) => ids.includes(id) || created.includes(id))).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("serves a page again for its cursor sent again, with the same next", async () => {
    const group = await newGroup();
    for (let i = 0; i < 5; i++) await createCustomer({ water_database: group });
    const first = await page(`/customers/?pagination=cursor&water_database=${group}&limit=2`, normal);
    const second = await page(path(first.next!), normal);
    const again = await page(path(first.next!), normal);
    expect(again).toEqual(second);
    const third = await page(path(second.next!), normal);
    expect(third.results.map((customer) => customer.id)).not.toContain(second.results[0]!.id);
  });

  it("answers 404 Invalid cursor for a cursor that is not one, of another consumer, of another query, altered or of an older page", async () => {
    const group = await newGroup();
    for (let i = 0; i < 5; i++) await createCustomer({ water_database: group });
    const first = await page(`/customers/?pagination=cursor&water_database=${group}&limit=1`, normal);
    const next = new URL(first.next!);
    const second = await page(path(next.href), normal);
    await page(path(second.next!), normal);
    const cursor = next.searchParams.get("cursor")!;
    const altered = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
    altered.after.id += 1;
    const alteredCursor = btoa(JSON.stringify(altered)).replaceAll("=", "");
    for (const [url, key] of [
      [`/customers/?cursor=not-a-cursor`, normal],
      [`/customers/?cursor=${btoa("\xff\xfe")}`, normal],
      [path(next.href), otherNormal],
      [path(next.href).replace(`water_database=${group}`, "water_database=1"), normal],
      [path(next.href).replace(cursor, alteredCursor), normal],
      // Two pages on: only the last served page can be served again.
      [path(next.href), normal],
    ] as const) {
      const res = await get(url, key);
      expect(res.status, url).toBe(404);
      expect(await res.json()).toEqual({ details: "Invalid cursor" });
    }
  });

  it("answers 400 with the field's error for a pagination other than cursor", async () => {
    const res = await get("/customers/?pagination=pages", normal);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ pagination: ["Select a valid choice. pages is not one of the available choices."] });
  });

  it("serves a viewer only the customers it may see at the time of each page", async () => {
    const group = await newGroup();
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await createCustomer({ water_database: group, restricted_type: i === 0 ? 2 : null }));
    expect(await exportAll(`water_database=${group}&limit=2`, extended)).toEqual(ids);
    const served = await exportAll(`water_database=${group}&limit=2`, normal, async (pages) => {
      if (pages === 1) await patch(ids[5]!, { restricted_type: 2 }, extended);
    });
    expect(served).toEqual(ids.slice(1, 5));
  });

  it("keeps at most EXPORTS_PER_CONSUMER exports a consumer: beginning another ends the oldest, whose cursor is then invalid", async () => {
    const { key, id: consumer } = await createConsumer({ gdpr: "normal" });
    const group = await newGroup();
    for (let i = 0; i < 2; i++) await createCustomer({ water_database: group });
    const nexts: string[] = [];
    for (let i = 0; i <= EXPORTS_PER_CONSUMER; i++) {
      nexts.push((await page(`/customers/?pagination=cursor&water_database=${group}&limit=1`, key)).next!);
    }
    const kept = await env.DB.prepare("SELECT count(*) AS n FROM customer_exports WHERE consumer_id = ?")
      .bind(consumer)
      .first<{ n: number }>();
    expect(kept!.n).toBe(EXPORTS_PER_CONSUMER);
    expect((await get(path(nexts[0]!), key)).status).toBe(404);
    expect((await get(path(nexts[1]!), key)).status).toBe(200);
  });

  it("keeps the other query parameters in `next` and hides the position in an opaque cursor", async () => {
    const group = await newGroup();
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(await createCustomer({ water_database: group, customer_number: `${group}-Ä-${i}` }));
    const first = await page(`/customers/?pagination=cursor&water_database=${group}&orderby=-customer_number&limit=1`, normal);
    const next = new URL(first.next!);
    expect([...next.searchParams.keys()].sort()).toEqual(["cursor", "limit", "orderby", "pagination", "water_database"]);
    expect(next.searchParams.get("cursor")).toMatch(/^[\w-]+$/);
    expect(next.searchParams.get("cursor")).not.toContain(String(ids[2]));
  });
});
