// Nothing a consumer without GDPR access `extended` can observe numbers what is withheld from it:
// customer ids, the change feed's entries and cursors, a reappearing customer's trail and ETag
// (docs/security.md, "What is withheld, and what numbers it").
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, createConsumer, createCustomer, get, patch, request } from "./helpers";

type Entry = { id: number; customer: number; consumer: number | null; at: string; action: string; fields: string[] };
let normal: string;
let extended: string;
beforeAll(async () => {
  ({ key: normal } = await createConsumer({ gdpr: "normal" }));
  ({ key: extended } = await createConsumer({ gdpr: "extended" }));
});

const json = { "Content-Type": "application/json" };
const post = (body: object, key: string) => request("/customers/", { method: "POST", key, headers: json, body: JSON.stringify(body) });
const lastId = async () =>
  (await env.DB.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'customers'").first<{ seq: number }>())?.seq ?? 0;

describe("customer ids", () => {
  it("skip a random 0–1023 ids each, are never reused (an erased one included), and a refused POST uses none", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push((await (await post({ name: `N${i}` }, normal)).json<{ id: number }>()).id);
    const gaps = ids.slice(1).map((id, i) => id - ids[i]!);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(1);
      expect(gap).toBeLessThanOrEqual(1024);
    }
    // Uniform over 1–1024: 19 gaps averaging under 100 would happen less than once in 10^15 runs.
    expect(gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length).toBeGreaterThan(100);
    const before = await lastId();
    expect((await post({ name: "" }, normal)).status).toBe(400);
    expect((await post({ name: "X", address: 404_404 }, normal)).status).toBe(400);
    expect(await lastId()).toBe(before);
    const erased = ids.at(-1)!;
    expect((await request(`/customers/${erased}/`, { method: "DELETE", key: normal })).status).toBe(204);
    expect((await (await post({ name: "After" }, normal)).json<{ id: number }>()).id).toBeGreaterThan(erased);
  });

  it("give a hidden customer no place a consumer without access extended can single out", async () => {
    const visible = (await (await post({ name: "Before" }, normal)).json<{ id: number }>()).id;
    const hidden = (await (await post({ name: "Hidden", restricted_type: 2 }, extended)).json<{ id: number }>()).id;
    const after = (await (await post({ name: "After" }, normal)).json<{ id: number }>()).id;
    // Between the two it can see, the hidden id answers exactly as the ids never given around it do.
    const between = Array.from({ length: after - visible - 1 }, (_, i) => visible + 1 + i);
    expect(between).toContain(hidden);
    expect(between.length).toBeGreaterThan(1);
    const near = between.filter((id) => Math.abs(id - hidden) <= 50);
    const answers = new Set(
      await Promise.all(
        near.map(async (id) => {
          const res = await get(`/customers/${id}/`, normal);
          return `${res.status} ${await res.text()}`;
        }),
      ),
    );
    expect([...answers]).toEqual(['404 {"details":"Not found."}']);
  });
});

describe("the change feed", () => {
  const readToEnd = async (from: string) => {
    const entries: Entry[] = [];
    let next = from;
    for (;;) {
      const page = await (await get(next.slice(BASE.length), normal)).json<{ next: string; results: Entry[] }>();
      entries.push(...page.results);
      if (!page.results.length) return { entries, next };
      next = page.next;
    }
  };
  const start = async () => (await readToEnd(`${BASE}/changes/?limit=1000`)).next;

  it("shows the same entries and cursors whether or not hidden customers were written between them", async () => {
    const a = await createCustomer();
    const b = await createCustomer();
    const hidden = await createCustomer({ restricted_type: 2 });
    const observe = async (hiddenWrites: number) => {
      const from = await start();
      await patch(a, { note: crypto.randomUUID() }, normal);
      for (let i = 0; i < hiddenWrites; i++) await patch(hidden, { note: `hidden ${i}` }, extended);
      await patch(b, { note: crypto.randomUUID() }, normal);
      const { entries, next } = await readToEnd(from);
      return {
        entries: entries.map(({ customer, action, fields }) => ({ customer, action, fields })),
        cursor: new URL(next).searchParams.get("after")!,
      };
    };
    const quiet = await observe(0);
    const busy = await observe(120);
    expect(busy.entries).toEqual(quiet.entries);
    expect(busy.cursor.length).toBe(quiet.cursor.length);
    // Entries are numbered in their customer's trail, not by a global sequence.
    const entries = (await readToEnd(`${BASE}/changes/?limit=1000`)).entries.filter((entry) => entry.customer === a);
    expect(entries.map((entry) => entry.id)).toEqual([2, 3]);
  });
});

describe("a customer that was hidden and reappears", () => {
  it("shows in its trail nothing from its hiding to its reappearance, and its ETag does not count what was done meanwhile", async () => {
    const trail = async (id: number, key: string) =>
      await (await get(`/customers/${id}/changes/`, key)).json<{ count: number; results: Entry[] }>();
    const etag = async (id: number) => (await get(`/customers/${id}/`, normal)).headers.get("ETag");
    const run = async (hiddenWrites: number) => {
      const id = await createCustomer();
      await patch(id, { note: "visible" }, normal);
      const before = await etag(id);
      await patch(id, { restricted_type: 2, name: "Secret Name", email: "secret@example.fi" }, extended);
      const hiddenAt = new Date().toISOString();
      for (let i = 0; i < hiddenWrites; i++) await patch(id, { name: `While hidden ${i}` }, extended);
      await patch(id, { restricted_type: null }, extended);
      return { id, before, after: await etag(id), hiddenAt };
    };
    const once = await run(1);
    const often = await run(6);
    const seen = await trail(once.id, normal);
    expect(seen.results.map(({ id, action, fields }) => ({ id, action, fields }))).toEqual([
      { id: 4, action: "create", fields: ["restricted_type"] },
      { id: 2, action: "update", fields: ["note"] },
    ]);
    expect(seen.count).toBe(2);
    expect(JSON.stringify(seen)).not.toMatch(/name|email/);
    expect((await trail(often.id, normal)).results.map((entry) => entry.id)).toEqual([4, 2]);
    // The same ETags whether one write or six were made while it was hidden.
    expect([once.before, once.after]).toEqual(['"2"', '"4"']);
    expect([often.before, often.after]).toEqual(['"2"', '"4"']);
    // A consumer that sees hidden customers sees everything, numbered by every write.
    expect((await trail(often.id, extended)).results.map((entry) => entry.id)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2]);
    expect((await get(`/customers/${often.id}/`, extended)).headers.get("ETag")).toBe('"10"');
  });

  it("answers If-Match with the version its consumer counts", async () => {
    const id = await createCustomer();
    await patch(id, { restricted_type: 2 }, extended);
    await patch(id, { note: "hidden" }, extended);
    await patch(id, { restricted_type: null }, extended);
    expect((await get(`/customers/${id}/`, normal)).headers.get("ETag")).toBe('"3"');
    expect((await patch(id, { note: "stale" }, normal, { "If-Match": '"4"' })).status).toBe(412);
    const res = await patch(id, { note: "fresh" }, normal, { "If-Match": '"3"' });
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"4"');
  });
});

describe("a hidden customer in the channels the outside review tried", () => {
  it("a trail with entries, of a customer hidden since: 404, as for an id never given", async () => {
    const id = await createCustomer();
    await patch(id, { note: "an entry" }, normal);
    await patch(id, { restricted_type: 2 }, extended);
    const res = await get(`/customers/${id}/changes/`, normal);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ details: "Not found." });
  });

  it("a bulk PATCH with a customer number a hidden customer holds: it cannot be used, not 'already exists'", async () => {
    const number = `HID-${crypto.randomUUID()}`;
    await createCustomer({ restricted_type: 2, customer_number: number });
    const id = await createCustomer();
    const res = await request("/customers/", {
      method: "PATCH",
      key: normal,
      headers: json,
      body: JSON.stringify([{ id, customer_number: number }]),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([{ customer_number: ["This customer number cannot be used."] }]);
  });

  it("a bulk PATCH of a visible and a hidden id: the hidden one is an id that does not exist, and nothing is written", async () => {
    const visible = await createCustomer({ note: "before" });
    const hidden = await createCustomer({ restricted_type: 2, note: "secret" });
    const res = await request("/customers/", {
      method: "PATCH",
      key: normal,
      headers: json,
      body: JSON.stringify([
        { id: visible, note: "x" },
        { id: hidden, note: "x" },
      ]),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([{}, { id: [`Invalid pk "${hidden}" - object does not exist.`] }]);
    const rows = await env.DB.prepare(`SELECT note FROM customers WHERE id IN (${visible}, ${hidden}) ORDER BY id`).all();
    expect(rows.results).toEqual([{ note: "before" }, { note: "secret" }]);
  });
});
