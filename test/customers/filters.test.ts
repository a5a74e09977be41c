// The list's filters table (src/db/filters.ts), walked: each filter filters, alone and with each
// other, in offset mode with its count and in cursor mode (the README's filter table: test/e2e/readme.test.ts).
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { FILTERS, type Filter, type FilterName } from "../../src/db/filters";
import { createConsumer, get } from "../helpers";

type Row = Record<string, unknown> & { id: number };
let key: string;
const rows: Row[] = [];

const DATES = ["2026-01-01T00:00:00.000Z", "2026-06-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"];
const three = [1, 2, null];

/** The value to filter by: one that some rows have, and others not. */
function byValue(filter: Filter): string {
  if (filter.input.kind === "id") return "1";
  // Some of the rows' ids, and an id no row has.
  if (filter.input.kind === "ids") return [...rows.filter((_, i) => i % 4 === 0).map((row) => row.id), 999_999_999].join(",");
  if (filter.input.kind === "text") return "F-4";
  return DATES[1]!;
}

/** Whether a stored value passes the filter, as the table says it should. */
function passes(filter: Filter, value: unknown, by: string): boolean {
  if (value === null) return false;
  const compared = String(value);
  if (filter.match === "equals") return compared === by;
  if (filter.match === "in") return by.split(",").includes(compared);
  return filter.match === "from" ? compared >= by : compared < by;
}

beforeAll(async () => {
  ({ key } = await createConsumer({ gdpr: "normal" }));
  await env.DB.prepare("INSERT INTO water_databases (id, name) VALUES (1, 'One'), (2, 'Two')").run();
  // Every combination of three values of each dimension, dates and customer numbers spread over them.
  for (let i = 0; i < 27; i++) {
    const row = await env.DB.prepare(
      "INSERT INTO customers (name, customer_number, status, type, water_database, modified) VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
    )
      .bind(
        `Filtered ${i}`,
        i % 3 === 2 ? null : `F-${i}`,
        three[i % 3],
        three[Math.floor(i / 3) % 3],
        three[Math.floor(i / 9) % 3],
        DATES[(i + Math.floor(i / 3)) % 3],
      )
      .first<Row>();
    rows.push(row!);
  }
});

describe("each filter of the table", () => {
  for (const [name, filter] of Object.entries(FILTERS) as [FilterName, Filter][]) {
    it(`${name} filters (${filter.match} ${filter.column}), in offset mode with its count and in cursor mode`, async () => {
      const by = byValue(filter);
      const expected = rows.filter((row) => passes(filter, row[filter.column], by)).map((row) => row.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(rows.length);
      const query = `${name}=${encodeURIComponent(by)}&limit=500`;
      const page = await (await get(`/customers/?${query}`, key)).json<{ count: number; results: Row[] }>();
      expect(page.results.map((row) => row.id)).toEqual(expected);
      expect(page.count).toBe(expected.length);
      const ordering = filter.match === "equals" ? "id" : "modified";
      const cursor = await (await get(`/customers/?${query}&pagination=cursor&orderby=${ordering}`, key)).json<{ results: Row[] }>();
      expect(cursor.results.map((row) => row.id).sort((a, b) => a - b)).toEqual(expected);
    });
  }

  it("combine: every pair of filters selects what both select", async () => {
    const entries = Object.entries(FILTERS) as [FilterName, Filter][];
    for (const [i, [first, a]] of entries.entries()) {
      for (const [second, b] of entries.slice(i + 1)) {
        const expected = rows
          .filter((row) => passes(a, row[a.column], byValue(a)) && passes(b, row[b.column], byValue(b)))
          .map((row) => row.id);
        const query = `${first}=${encodeURIComponent(byValue(a))}&${second}=${encodeURIComponent(byValue(b))}&limit=500`;
        const page = await (await get(`/customers/?${query}`, key)).json<{ count: number; results: Row[] }>();
        expect(
          page.results.map((row) => row.id),
          query,
        ).toEqual(expected);
        expect(page.count, query).toBe(expected.length);
      }
    }
  });
});

describe("id__in", () => {
  const ids = (query: string) => get(`/customers/?${query}`, key);

  it("refuses what is not 1 to 100 integers, with DRF's words", async () => {
    const hundredAndOne = Array.from({ length: 101 }, (_, i) => i + 1).join(",");
    for (const [value, message] of [
      ["1,x", "A valid integer is required."],
      ["1,,2", "A valid integer is required."],
      ["1.5", "A valid integer is required."],
      ["", "Ensure this field has at least 1 elements."],
      [hundredAndOne, "Ensure this field has no more than 100 elements."],
    ]) {
      const res = await ids(`id__in=${value}`);
      expect(res.status, value).toBe(400);
      expect(await res.json()).toEqual({ id__in: [message] });
    }
  });

  it("counts an id given twice once, and leaves a hidden customer out exactly as one that never existed", async () => {
    const [a, b] = [rows[0]!.id, rows[1]!.id];
    const twice = await (await ids(`id__in=${a},${a},${b}`)).json<{ count: number; results: Row[] }>();
    expect(twice.results.map((row) => row.id)).toEqual([a, b]);
    expect(twice.count).toBe(2);
    const hidden = await env.DB.prepare("INSERT INTO customers (name, restricted_type) VALUES ('Hidden', 2) RETURNING id").first<{
      id: number;
    }>();
    const erased = await env.DB.prepare("INSERT INTO customers (name) VALUES ('Erased') RETURNING id").first<{ id: number }>();
    await env.DB.prepare("DELETE FROM customers WHERE id = ?").bind(erased!.id).run();
    const withHidden = await ids(`id__in=${a},${hidden!.id}`);
    const withErased = await ids(`id__in=${a},${erased!.id}`);
    expect(await withHidden.json()).toEqual(await withErased.json());
    const { key: extended } = await createConsumer({ gdpr: "extended" });
    const seen = await (await get(`/customers/?id__in=${a},${hidden!.id}`, extended)).json<{ count: number }>();
    expect(seen.count).toBe(2);
  });
});
