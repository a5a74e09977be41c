import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, createConsumer, get, loadDemoData, request, roundTrips } from "../helpers";

const PROTECTED = ["name", "name_ext", "email", "phone", "phone2", "personal_id", "invoice_name"];
const HIDDEN = [13, 250, 499]; // made level extended below
let keys: Record<"none" | "normal" | "extended", string>;

type Page = { count: number; next: string | null; previous: string | null; results: Record<string, unknown>[] };

beforeAll(async () => {
  await loadDemoData();
  await env.DB.prepare(`UPDATE customers SET restricted_type = 2 WHERE id IN (${HIDDEN.join(", ")})`).run();
  keys = {
    none: (await createConsumer({ scopes: "customers:read", gdpr: "none" })).key,
    normal: (await createConsumer({ scopes: "customers:read", gdpr: "normal" })).key,
    extended: (await createConsumer({ scopes: "customers:read", gdpr: "extended" })).key,
  };
});

describe("GET /customers/{id}/", () => {
  it("answers the customer with its ETag, in one round trip once the key is known", async () => {
    await get("/customers/7/", keys.normal);
    const res = await get("/customers/7/", keys.normal);
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"1"');
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(roundTrips(res)).toBe(1);
    const row = await env.DB.prepare("SELECT * FROM customers WHERE id = 7").first<Record<string, unknown>>();
    expect(await res.json()).toMatchObject({ id: 7, name: row!.name, customer_number: "C-100007", no_sms: row!.no_sms === 1 });
  });

  for (const header of ['"1"', 'W/"1"', '"5", "1"', "*"]) {
    it(`If-None-Match ${header} → 304 without a body`, async () => {
      const res = await get("/customers/8/", keys.normal, { "If-None-Match": header });
      expect(res.status).toBe(304);
      expect(res.headers.get("ETag")).toBe('"1"');
      expect(await res.text()).toBe("");
    });
  }

  it("If-None-Match with another version → 200", async () => {
    expect((await get("/customers/8/", keys.normal, { "If-None-Match": '"2"' })).status).toBe(200);
  });

  it("leaves the protected fields out for GDPR access none", async () => {
    const body = await (await get("/customers/9/", keys.none)).json<Record<string, unknown>>();
    for (const field of PROTECTED) expect(body).not.toHaveProperty(field);
    expect(body).toMatchObject({ id: 9 });
  });

  it("hides customers at level extended from consumers below extended", async () => {
    expect((await get("/customers/13/", keys.normal)).status).toBe(404);
    expect((await get("/customers/13/", keys.none)).status).toBe(404);
    expect((await get("/customers/13/", keys.extended)).status).toBe(200);
  });

  it("404 for an id that does not exist or is not one", async () => {
    for (const id of ["501", "0", "x"]) {
      const res = await get(`/customers/${id}/`, keys.normal);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ details: "Not found." });
    }
  });

  it("needs the customers:read scope", async () => {
    const { key } = await createConsumer({ scopes: "customers:write" });
    const res = await get("/customers/7/", key);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ details: "You do not have permission to perform this action." });
  });

  it("HEAD answers the headers only", async () => {
    const res = await request("/customers/7/", { method: "HEAD", key: keys.normal });
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"1"');
    expect(await res.text()).toBe("");
  });
});

describe("GET /customers/", () => {
  it("pages 50 at a time with absolute next/previous links; count and page in one round trip", async () => {
    await get("/customers/", keys.normal);
    const res = await get("/customers/", keys.normal);
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const page = await res.json<Page>();
    expect(page.count).toBe(500 - HIDDEN.length);
    expect(page.results).toHaveLength(50);
    expect(page.next).toBe(`${BASE}/customers/?limit=50&offset=50`);
    expect(page.previous).toBeNull();
    expect(page.results.map((c) => c.id)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1)
        .filter((id) => !HIDDEN.includes(id))
        .concat(51),
    );
  });

  for (const [gdpr, expected] of [
    ["normal", 500 - HIDDEN.length],
    ["extended", 500],
  ] as const) {
    it(`following next links shows each customer exactly once (access ${gdpr})`, async () => {
      const seen: number[] = [];
      let url: string | null = `${BASE}/customers/?limit=37&orderby=-modified`;
      let pages = 0;
      while (url) {
        const res = await get(url.slice(BASE.length), keys[gdpr]);
        const page: Page = await res.json();
        expect(page.count).toBe(expected);
        seen.push(...page.results.map((c) => c.id as number));
        url = page.next;
        pages++;
      }
      expect(pages).toBe(Math.ceil(expected / 37));
      expect(new Set(seen).size).toBe(expected);
      expect(seen).toHaveLength(expected);
      expect(seen.some((id) => HIDDEN.includes(id))).toBe(gdpr === "extended");
    });
  }

  it("leaves out protected fields for access none", async () => {
    const page = await (await get("/customers/?limit=500", keys.none)).json<Page>();
    expect(page.results).toHaveLength(500 - HIDDEN.length);
    for (const customer of page.results) for (const field of PROTECTED) expect(customer).not.toHaveProperty(field);
  });

  it("writes previous links as DRF does", async () => {
    const at60 = await (await get("/customers/?offset=60&limit=50&status=1", keys.normal)).json<Page>();
    expect(at60.previous).toBe(`${BASE}/customers/?offset=10&limit=50&status=1`);
    const at50 = await (await get("/customers/?offset=50", keys.normal)).json<Page>();
    expect(at50.previous).toBe(`${BASE}/customers/?limit=50`);
    const last = await (await get("/customers/?offset=490", keys.normal)).json<Page>();
    expect(last.next).toBeNull();
    expect(last.results).toHaveLength(500 - HIDDEN.length - 490);
  });

  it("filters by status, type, water database, customer number and modification time", async () => {
    const expected = async (where: string) =>
      (await env.DB.prepare(
        `SELECT count(*) AS n FROM customers WHERE (restricted_type IS NULL OR restricted_type <> 2) AND ${where}`,
      ).first<{ n: number }>())!.n;
    for (const [query, where] of [
      ["status=2", "status = 2"],
      ["type=2&water_database=3", "type = 2 AND water_database = 3"],
      ["customer_number=C-100042", "customer_number = 'C-100042'"],
    ]) {
      const page = await (await get(`/customers/?${query}&limit=500`, keys.normal)).json<Page>();
      expect(page.count, query).toBe(await expected(where!));
      expect(page.results.length).toBe(page.count);
    }
    await env.DB.prepare("UPDATE customers SET modified = '2030-01-01T00:00:00.000Z' WHERE id IN (3, 4)").run();
    const recent = await (await get("/customers/?modified__gte=2030-01-01T00:00:00Z", keys.normal)).json<Page>();
    expect(recent.results.map((c) => c.id)).toEqual([3, 4]);
    const older = await (await get("/customers/?modified__lt=2030-01-01&limit=1", keys.normal)).json<Page>();
    expect(older.count).toBe(500 - HIDDEN.length - 2);
  });

  it("orders by id, modified or customer number, either way", async () => {
    const first = async (orderby: string) =>
      (await (await get(`/customers/?orderby=${orderby}&limit=1`, keys.normal)).json<Page>()).results[0]!.id;
    expect(await first("-id")).toBe(500);
    expect(await first("id")).toBe(1);
    expect(await first("-customer_number")).toBe(500);
    expect(await first("customer_number")).toBe(1);
  });

  for (const [query, errors] of [
    ["limit=501", { limit: ["Ensure this value is less than or equal to 500."] }],
    ["limit=0", { limit: ["Ensure this value is greater than or equal to 1."] }],
    ["limit=ten", { limit: ["A valid integer is required."] }],
    ["offset=-1", { offset: ["Ensure this value is greater than or equal to 0."] }],
    ["status=active", { status: ["A valid integer is required."] }],
    ["modified__gte=yesterday", { modified__gte: ["Enter a valid date/time."] }],
    [
      "orderby=name",
      {
        orderby: [
          "Select a valid choice. name is not one of the available choices: id, -id, modified, -modified, customer_number, -customer_number.",
        ],
      },
    ],
    [
      "limit=x&orderby=-x",
      {
        limit: ["A valid integer is required."],
        orderby: [
          "Select a valid choice. -x is not one of the available choices: id, -id, modified, -modified, customer_number, -customer_number.",
        ],
      },
    ],
  ] as const) {
    it(`400 for ${query}`, async () => {
      const res = await get(`/customers/?${query}`, keys.normal);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual(errors);
    });
  }

  it("ignores parameters it does not know, as DRF does", async () => {
    expect((await get("/customers/?format=json&page=2", keys.normal)).status).toBe(200);
  });
});

describe("the demo data", () => {
  it("gives each customer a trail that starts at entry 1, its creation, made by consumer 1 (Demo data, without a key)", async () => {
    const res = await get("/customers/7/changes/", keys.normal);
    expect(res.status).toBe(200);
    const { count, results } = await res.json<Page>();
    expect(count).toBe(1);
    const customer = await env.DB.prepare("SELECT modified FROM customers WHERE id = 7").first<{ modified: string }>();
    expect(results).toEqual([
      expect.objectContaining({
        id: 1,
        customer: 7,
        consumer: 1,
        action: "create",
        at: customer!.modified,
        fields: expect.arrayContaining(["name"]),
      }),
    ]);
    expect(await env.DB.prepare("SELECT name, revoked_at IS NOT NULL AS revoked FROM api_consumers WHERE id = 1").first()).toEqual({
      name: "Demo data",
      revoked: 1,
    });
    // Loading it again adds no second creation.
    await loadDemoData();
    expect((await (await get("/customers/7/changes/", keys.normal)).json<Page>()).count).toBe(1);
  });
});
