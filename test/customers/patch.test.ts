import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { auditOf, createConsumer, createCustomer, everyField, patch, readCustomer, request, roundTrips } from "../helpers";

let key: string;
let consumerId: number;
beforeAll(async () => {
  ({ key, id: consumerId } = await createConsumer({ gdpr: "normal" }));
  await env.DB.batch([
    env.DB.prepare("INSERT INTO addresses (id, street) VALUES (1, 'Vesitie 1'), (2, 'Vesitie 2')"),
    env.DB.prepare("INSERT INTO water_databases (id, name) VALUES (1, 'North')"),
    env.DB.prepare("INSERT INTO apartments (id, address, label) VALUES (1, 1, 'A 1')"),
  ]);
});

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const FIELDS = [
  "id",
  "customer_number",
  "identification",
  "name",
  "name_ext",
  "email",
  "phone",
  "phone2",
  "two_sms_numbers",
  "no_sms",
  "personal_id",
  "invoice_name",
  "invoice_country",
  "country",
  "note",
  "editable_by_customer",
  "cooperative_member",
  "cooperative_date",
  "cooperative_reimbursement_date",
  "cooperative_sum",
  "address",
  "language",
  "restricted_type",
  "status",
  "type",
  "apartment",
  "water_database",
  "modified",
];

describe("a successful PATCH", () => {
  it("changes only the given fields and answers the whole customer with its ETag", async () => {
    const id = await createCustomer({ email: "old@example.fi", note: "keep", modified: "2020-01-01T00:00:00.000Z" });
    const res = await patch(id, { email: "new@example.fi", no_sms: true, address: 2, language: 3 }, key);
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"2"');
    expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = await res.json<Record<string, unknown>>();
    expect(Object.keys(body)).toEqual(FIELDS);
    expect(body).toMatchObject({ id, email: "new@example.fi", no_sms: true, note: "keep", address: 2, language: 3 });
    expect(body.modified).toMatch(ISO_MS);
    expect(body.modified).not.toBe("2020-01-01T00:00:00.000Z");
    const row = await readCustomer(id);
    expect(row).toMatchObject({ email: "new@example.fi", no_sms: 1, note: "keep", version: 2, modified: body.modified });
  });

  it("clears a nullable field with null", async () => {
    const id = await createCustomer({ phone: "+358 40 123", cooperative_sum: "10.00" });
    const res = await patch(id, { phone: null, cooperative_sum: null }, key);
    expect(await res.json()).toMatchObject({ phone: null, cooperative_sum: null });
    expect(await readCustomer(id)).toMatchObject({ phone: null, cooperative_sum: null });
  });

  it("records the change in the audit trail: consumer, request id, action and field names only", async () => {
    const id = await createCustomer({ note: "same" });
    const res = await patch(id, { note: "same", email: "a@b.fi", personal_id: "010101-123A" }, key);
    expect(res.status).toBe(200);
    const [entry, ...more] = await auditOf(id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ consumer_id: consumerId, request_id: res.headers.get("X-Request-Id"), action: "update" });
    expect(JSON.parse(entry!.fields)).toEqual(["email", "personal_id"]);
    expect(entry!.at).toBe((await res.json<{ modified: string }>()).modified);
    expect(JSON.stringify(entry)).not.toContain("010101-123A");
  });

  it("ignores the read-only id and modified", async () => {
    const id = await createCustomer();
    const res = await patch(id, { id: 999, modified: "2000-01-01T00:00:00.000Z", note: "x" }, key);
    expect(res.status).toBe(200);
    const body = await res.json<{ id: number; modified: string }>();
    expect(body.id).toBe(id);
    expect(body.modified).not.toBe("2000-01-01T00:00:00.000Z");
  });

  it("is served with and without the trailing slash", async () => {
    const id = await createCustomer();
    const res = await request(`/customers/${id}`, {
      method: "PATCH",
      key,
      headers: { "Content-Type": "application/merge-patch+json" },
      body: JSON.stringify({ note: "no slash" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ note: "no slash" });
  });

  it("costs one D1 round trip once the key is known", async () => {
    const id = await createCustomer();
    await patch(id, { note: "warm the key cache" }, key);
    const res = await patch(id, { note: "one round trip" }, key);
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
  });
});

describe("a PATCH that changes nothing", () => {
  for (const [label, body] of [
    ["{}", {}],
    ["only unchanged values", { note: "same", no_sms: false, cooperative_sum: "5" }],
    ["an empty body", ""],
  ] as const) {
    it(`${label}: answers the customer and writes nothing`, async () => {
      const modified = "2021-05-05T05:05:05.555Z";
      const id = await createCustomer({ note: "same", cooperative_sum: "5.00", modified });
      const res = await patch(id, body, key);
      expect(res.status).toBe(200);
      expect(res.headers.get("ETag")).toBe('"1"');
      expect(await res.json()).toMatchObject({ id, note: "same", modified });
      expect(await readCustomer(id)).toMatchObject({ version: 1, modified });
      expect(await auditOf(id)).toEqual([]);
    });
  }
});

describe("If-Match", () => {
  it("applies the change when the ETag is current", async () => {
    const id = await createCustomer();
    const res = await patch(id, { note: "v2" }, key, { "If-Match": '"1"' });
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"2"');
  });

  for (const header of ['"7"', 'W/"1"', '"abc"', '"01"', `"${"9".repeat(30)}"`, '"7", W/"1"']) {
    it(`answers 412 and writes nothing for ${header}`, async () => {
      const id = await createCustomer({ note: "before" });
      const res = await patch(id, { note: "after" }, key, { "If-Match": header });
      expect(res.status).toBe(412);
      expect(await res.json()).toEqual({ details: "Precondition failed: the customer has changed since it was read." });
      expect(await readCustomer(id)).toMatchObject({ note: "before", version: 1 });
      expect(await auditOf(id)).toEqual([]);
    });
  }

  for (const header of ["garbage", "6", '"1" "2"', '"1', " , ", '"1", *']) {
    it(`answers 400 and writes nothing for the malformed If-Match ${JSON.stringify(header)}`, async () => {
      const id = await createCustomer({ note: "before" });
      const res = await patch(id, { note: "after" }, key, { "If-Match": header });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ details: 'If-Match must be "*" or a list of entity tags, such as "3".' });
      expect(await readCustomer(id)).toMatchObject({ note: "before", version: 1 });
    });
  }

  it("takes up to 32 tags whatever the number of fields, and refuses more with 400 (never a 5xx)", async () => {
    const id = await createCustomer({ note: "before" });
    const body = everyField(`IM-${id}`, "after");
    const tags = (n: number, last: number) => [...Array.from({ length: n - 1 }, (_, i) => `"${1000 + i}"`), `"${last}"`].join(", ");
    const stale = await patch(id, body, key, { "If-Match": tags(32, 99) });
    expect(stale.status).toBe(412);
    const current = await patch(id, body, key, { "If-Match": tags(32, 1) });
    expect(current.status).toBe(200);
    for (const n of [33, 95, 500]) {
      const res = await patch(id, { note: "never" }, key, { "If-Match": tags(n, 2) });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ details: "If-Match may list at most 32 entity tags." });
    }
    const erase = await request(`/customers/${id}/`, { method: "DELETE", key, headers: { "If-Match": tags(95, 2) } });
    expect(erase.status).toBe(400);
    expect(await readCustomer(id)).toMatchObject({ note: "after", version: 2 });
  });

  it("answers 412 for a stale ETag even when the values are unchanged", async () => {
    const id = await createCustomer({ note: "same" });
    const res = await patch(id, { note: "same" }, key, { "If-Match": '"5"' });
    expect(res.status).toBe(412);
  });

  it("accepts * and a list holding the current ETag", async () => {
    const id = await createCustomer();
    expect((await patch(id, { note: "a" }, key, { "If-Match": "*" })).status).toBe(200);
    expect((await patch(id, { note: "b" }, key, { "If-Match": '"1", "2"' })).status).toBe(200);
  });

  it("lets exactly one of 8 concurrent PATCHes with the same ETag through", async () => {
    const id = await createCustomer();
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => patch(id, { note: `writer ${i}` }, key, { "If-Match": '"1"' })),
    );
    const statuses = responses.map((res) => res.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
    const winner = await responses.find((res) => res.status === 200)!.json<{ note: string }>();
    expect(await readCustomer(id)).toMatchObject({ note: winner.note, version: 2 });
    expect(await auditOf(id)).toHaveLength(1);
  });
});

describe("concurrency", () => {
  it("loses none of 20 concurrent PATCHes of different fields", async () => {
    const id = await createCustomer();
    const changes: Record<string, unknown>[] = [
      { customer_number: `C-${crypto.randomUUID().slice(0, 8)}` },
      { identification: "ID-1" },
      { name: "New Name" },
      { name_ext: "ext" },
      { email: "x@y.fi" },
      { phone: "+358 1" },
      { phone2: "(09) 2" },
      { two_sms_numbers: true },
      { no_sms: true },
      { personal_id: "P-1" },
      { invoice_name: "Inv" },
      { invoice_country: "se" },
      { country: "no" },
      { note: "note" },
      { editable_by_customer: true },
      { cooperative_member: true },
      { cooperative_sum: "7.5" },
      { address: 1 },
      { water_database: 1 },
      { apartment: 1 },
    ];
    const responses = await Promise.all(changes.map((change) => patch(id, change, key)));
    expect(responses.map((res) => res.status)).toEqual(changes.map(() => 200));
    const row = await readCustomer(id);
    expect(row).toMatchObject({
      ...Object.assign({}, ...changes),
      invoice_country: "SE",
      country: "NO",
      cooperative_sum: "7.50",
      two_sms_numbers: 1,
      no_sms: 1,
      editable_by_customer: 1,
      cooperative_member: 1,
      version: 21,
    });
    const audit = await auditOf(id);
    expect(audit.flatMap((entry) => JSON.parse(entry.fields)).sort()).toEqual(changes.flatMap(Object.keys).sort());
  });
});

describe("404", () => {
  for (const id of ["0", "-1", "abc", "1.5", "1e3", "99999999999999999999", "%20"]) {
    it(`for the id ${JSON.stringify(id)}`, async () => {
      const res = await patch(id, { note: "x" }, key);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ details: "Not found." });
    });
  }

  it("for a customer that does not exist", async () => {
    const res = await patch(987654, { note: "x" }, key);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ details: "Not found." });
  });
});
