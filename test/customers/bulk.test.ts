import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { auditOf, createConsumer, createCustomer, everyField, readCustomer, request, roundTrips } from "../helpers";

let key: string;
beforeAll(async () => {
  ({ key } = await createConsumer({ gdpr: "normal" }));
  await env.DB.prepare("INSERT INTO addresses (id, street) VALUES (1, 'Vesitie 1')").run();
});

const bulk = (body: unknown, as = key, headers: Record<string, string> = {}) =>
  request("/customers/", {
    method: "PATCH",
    key: as,
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function untouched(ids: number[], send: () => Promise<Response>) {
  const before = await Promise.all(ids.map(readCustomer));
  const res = await send();
  expect(await Promise.all(ids.map(readCustomer))).toEqual(before);
  for (const id of ids) expect(await auditOf(id)).toEqual([]);
  return res;
}

describe("PATCH /customers/ (bulk)", () => {
  it("applies every item in one round trip and answers the customers in request order; unchanged items write nothing", async () => {
    await bulk([{ id: await createCustomer(), note: "warm the key cache" }]);
    const [a, b, c] = [await createCustomer({ note: "a" }), await createCustomer({ note: "b" }), await createCustomer({ note: "same" })];
    const before = await readCustomer(c);
    const res = await bulk([
      { id: b, email: "b@example.fi", no_sms: "yes" },
      { id: a, note: "changed", address: 1, cooperative_sum: 10 },
      { id: c, note: "same" },
    ]);
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const body = await res.json<Record<string, unknown>[]>();
    expect(body.map((customer) => customer.id)).toEqual([b, a, c]);
    expect(body[0]).toMatchObject({ email: "b@example.fi", no_sms: true, note: "b" });
    expect(body[1]).toMatchObject({ note: "changed", address: 1, cooperative_sum: "10.00" });
    expect(await readCustomer(a)).toMatchObject({ note: "changed", version: 2 });
    expect(await readCustomer(c)).toEqual(before);
    expect((await auditOf(b)).map((entry) => JSON.parse(entry.fields))).toEqual([["email", "no_sms"]]);
    expect(await auditOf(c)).toEqual([]);
  });

  it("reports every item's field errors at once, DRF's ListSerializer shape, and writes nothing", async () => {
    const [a, b] = [await createCustomer(), await createCustomer()];
    const res = await untouched([a, b], () =>
      bulk([{ id: a, note: "fine" }, { id: b, email: "bad", zzz: 1 }, { id: a, note: "again" }, [1], { note: "no id" }]),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([
      {},
      { email: ["Enter a valid email address."], zzz: ["Unknown field."] },
      { id: ["Duplicate id."] },
      { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] },
      { id: ["This field is required."] },
    ]);
  });

  it("tells an id or a customer number given twice even when the items have field errors of their own", async () => {
    const [a, b] = [await createCustomer(), await createCustomer()];
    const number = `N-${crypto.randomUUID()}`;
    const res = await untouched([a, b], () =>
      bulk([
        { id: a, email: "x", customer_number: number },
        { id: a, note: "b" },
        { id: b, customer_number: ` ${number} `, phone: [] },
      ]),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([
      { email: ["Enter a valid email address."] },
      { id: ["Duplicate id."] },
      { customer_number: ["Customer with this customer number already exists."], phone: ["Not a valid string."] },
    ]);
  });

  it("an id that is missing or hidden is that item's error (one more round trip); nothing is written", async () => {
    const [a, hidden] = [await createCustomer(), await createCustomer({ restricted_type: 2 })];
    const res = await untouched([a, hidden], () =>
      bulk([
        { id: a, note: "x" },
        { id: 999999, note: "x" },
        { id: hidden, note: "x" },
      ]),
    );
    expect(res.status).toBe(400);
    expect(roundTrips(res)).toBe(2);
    expect(await res.json()).toEqual([
      {},
      { id: ['Invalid pk "999999" - object does not exist.'] },
      { id: [`Invalid pk "${hidden}" - object does not exist.`] },
    ]);
    // Items that change nothing are checked alike.
    const idsOnly = await bulk([{ id: a }, { id: 999999 }]);
    expect(idsOnly.status).toBe(400);
    expect(await idsOnly.json()).toEqual([{}, { id: ['Invalid pk "999999" - object does not exist.'] }]);
  });

  it("what only the database can tell is the item's error, and the batch is all or nothing", async () => {
    const number = `BULK-${crypto.randomUUID()}`.slice(0, 40);
    const [a, b, c] = [
      await createCustomer(),
      await createCustomer({ customer_number: number }),
      await createCustomer({ cooperative_date: "2026-06-01" }),
    ];
    const res = await untouched([a, c], () =>
      bulk([
        { id: a, address: 4242, note: "x" },
        { id: c, cooperative_reimbursement_date: "2026-05-01" },
      ]),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([
      { address: ['Invalid pk "4242" - object does not exist.'] },
      { non_field_errors: ["cooperative_reimbursement_date may not be before cooperative_date."] },
    ]);
    const taken = await untouched([a], () => bulk([{ id: a, customer_number: number }]));
    expect(await taken.json()).toEqual([{ customer_number: ["Customer with this customer number already exists."] }]);
    expect(await readCustomer(b)).toMatchObject({ customer_number: number });
    const twice = await bulk([
      { id: a, customer_number: "TWICE" },
      { id: c, customer_number: "TWICE" },
    ]);
    expect(await twice.json()).toEqual([{}, { customer_number: ["Customer with this customer number already exists."] }]);
  });

  it("GDPR and scope rules as for a single PATCH: a forbidden field in any item is 403 for the whole request", async () => {
    const [a, b] = [await createCustomer(), await createCustomer()];
    const none = await createConsumer({ gdpr: "none" });
    const refused = await untouched([a, b], () =>
      bulk(
        [
          { id: a, note: "x" },
          { id: b, email: "x@example.fi", name: "N" },
        ],
        none.key,
      ),
    );
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ details: "You do not have permission to change these fields: name, email." });
    const level = await untouched([a, b], () =>
      bulk([
        { id: a, note: "x" },
        { id: b, restricted_type: 2 },
      ]),
    );
    expect(level.status).toBe(403);
    expect(await level.json()).toEqual({ details: "You do not have permission to change these fields: restricted_type." });
    const reader = await createConsumer({ scopes: "customers:read" });
    expect((await bulk([{ id: a, note: "x" }], reader.key)).status).toBe(403);
    const writer = await createConsumer({ scopes: "customers:write" });
    const written = await bulk([{ id: a, note: "write-only" }], writer.key);
    expect(written.status).toBe(204);
    expect(await written.text()).toBe("");
  });

  for (const [label, body, message] of [
    ["not a list", { id: 1 }, 'Expected a list of items but got type "dict".'],
    ["an empty list", [], "This list may not be empty."],
    ["more than 100 items", Array.from({ length: 101 }, (_, i) => ({ id: i + 1 })), "Ensure this field has no more than 100 elements."],
  ] as const) {
    it(`${label} → 400`, async () => {
      const res = await bulk(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ non_field_errors: [message] });
    });
  }

  it("a body over 1 MiB → 413; 100 items with every field fit in a few statements", async () => {
    expect((await bulk([{ id: 1, note: "x".repeat(1024 * 1024) }])).status).toBe(413);
    const ids = await Promise.all(Array.from({ length: 100 }, () => createCustomer()));
    const res = await bulk(ids.map((id, i) => ({ id, ...everyField(`ALL-${id}`, `n${i}`) })));
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    expect(await readCustomer(ids[99]!)).toMatchObject({ note: "n99", customer_number: `ALL-${ids[99]}`, two_sms_numbers: 1, version: 2 });
  });

  it("concurrent bulk requests touching the same customers lose no field", async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => createCustomer()));
    const fields = ["note", "identification", "invoice_name", "name_ext", "personal_id", "customer_number"] as const;
    const responses = await Promise.all(fields.map((field) => bulk(ids.map((id) => ({ id, [field]: `${field}-${id}` })))));
    expect(responses.map((res) => res.status)).toEqual(fields.map(() => 200));
    for (const id of ids) {
      const row = await readCustomer(id);
      for (const field of fields) expect(row![field]).toBe(`${field}-${id}`);
      expect(row!.version).toBe(1 + fields.length);
    }
  });
});
