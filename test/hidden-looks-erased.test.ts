// To a consumer without GDPR access `extended`, a customer that becomes hidden looks exactly like one
// erased, on every channel (SPEC §2, docs/security.md): its customer number, a write-only consumer's
// refusals, a write that repeats stored values, the feed and the trail.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, createConsumer, createCustomer, get, patch, readCustomer, request, roundTrips } from "./helpers";

let reader: string;
let writer: string;
let extended: string;
beforeAll(async () => {
  ({ key: reader } = await createConsumer({ gdpr: "normal" }));
  ({ key: writer } = await createConsumer({ scopes: "customers:write", gdpr: "normal" }));
  ({ key: extended } = await createConsumer({ gdpr: "extended" }));
});

const json = { "Content-Type": "application/json" };
const post = (body: object, key: string) => request("/customers/", { method: "POST", key, headers: json, body: JSON.stringify(body) });
const bulk = (items: object[], key: string) => request("/customers/", { method: "PATCH", key, headers: json, body: JSON.stringify(items) });
const answer = async (res: Response) => `${res.status} ${await res.text()}`;
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;

/** Three numbers a reader saw on customers it could see: one now hidden, one erased, one changed away. */
async function numbersGivenUp() {
  const hiddenNumber = unique("HID");
  const erasedNumber = unique("ERA");
  const changedNumber = unique("CHG");
  const hidden = await createCustomer({ customer_number: hiddenNumber });
  const erased = await createCustomer({ customer_number: erasedNumber });
  const changed = await createCustomer({ customer_number: changedNumber });
  for (const id of [hidden, erased, changed]) expect((await get(`/customers/${id}/`, reader)).status).toBe(200);
  expect((await patch(hidden, { restricted_type: 2 }, extended)).status).toBe(200);
  expect((await request(`/customers/${erased}/`, { method: "DELETE", key: reader })).status).toBe(204);
  expect((await patch(changed, { customer_number: unique("NEW") }, reader)).status).toBe(200);
  return { hidden: hiddenNumber, erased: erasedNumber, changed: changedNumber };
}

describe("a customer number a hidden customer holds answers exactly as one given up by an erasure", () => {
  it("on PATCH, POST and a bulk PATCH, beside a field error and alone, for a reader", async () => {
    const numbers = await numbersGivenUp();
    const own = await createCustomer();
    const ways = (number: string) => [
      () => patch(own, { customer_number: number }, reader),
      () => patch(own, { customer_number: number, email: "not an e-mail" }, reader),
      () => post({ name: "N", customer_number: number }, reader),
      () => bulk([{ id: own, customer_number: number }], reader),
    ];
    for (let way = 0; way < 4; way++) {
      const answers = await Promise.all(Object.values(numbers).map(async (number) => answer(await ways(number)[way]!())));
      expect(new Set(answers).size, answers.join("\n")).toBe(1);
      expect(answers[0]).toContain("This customer number cannot be used.");
    }
    expect(await readCustomer(own)).toMatchObject({ customer_number: null, version: 1 });
  });

  it("for a write-only consumer too: the same answers for the three", async () => {
    const numbers = await numbersGivenUp();
    const own = await createCustomer();
    for (const body of [(n: string) => ({ customer_number: n }), (n: string) => ({ customer_number: n, email: "not an e-mail" })]) {
      const answers = await Promise.all(Object.values(numbers).map(async (number) => answer(await patch(own, body(number), writer))));
      expect(new Set(answers).size, answers.join("\n")).toBe(1);
    }
    // Beside a field error, nothing of the number at all (a number a hidden customer holds included).
    expect(await answer(await patch(own, { customer_number: numbers.hidden, email: "not an e-mail" }, writer))).toBe(
      '400 {"email":["Enter a valid email address."]}',
    );
  });

  it("a consumer with access extended sees the hidden holder: already exists; a number given up cannot be used", async () => {
    const numbers = await numbersGivenUp();
    const own = await createCustomer();
    expect(await (await patch(own, { customer_number: numbers.hidden }, extended)).json()).toEqual({
      customer_number: ["Customer with this customer number already exists."],
    });
    expect(await (await patch(own, { customer_number: numbers.erased }, extended)).json()).toEqual({
      customer_number: ["This customer number cannot be used."],
    });
  });

  it("a number a visible customer holds already exists, as in DRF; a number never given is taken", async () => {
    const held = unique("VIS");
    await createCustomer({ customer_number: held });
    const own = await createCustomer();
    expect(await (await patch(own, { customer_number: held }, reader)).json()).toEqual({
      customer_number: ["Customer with this customer number already exists."],
    });
    expect((await patch(own, { customer_number: unique("FREE") }, reader)).status).toBe(200);
  });
});

describe("a write-only consumer's refusal that needs no stored data", () => {
  it("hides every check on stored data: both dates in the body answer alike whatever number beside them", async () => {
    const held = unique("VIS");
    await createCustomer({ customer_number: held });
    const hiddenHeld = unique("HID");
    await createCustomer({ customer_number: hiddenHeld, restricted_type: 2 });
    const own = await createCustomer();
    const dates = { cooperative_date: "2020-02-02", cooperative_reimbursement_date: "2020-01-01" };
    const expected = '400 {"non_field_errors":["cooperative_reimbursement_date may not be before cooperative_date."]}';
    for (const number of [held, hiddenHeld, unique("FREE")]) {
      expect(await answer(await patch(own, { customer_number: number, ...dates }, writer)), number).toBe(expected);
      expect(await answer(await post({ name: "N", customer_number: number, ...dates }, writer)), number).toBe(expected);
      expect(await answer(await bulk([{ id: own, customer_number: number, ...dates }], writer)), number).toBe(`400 [${expected.slice(4)}]`);
    }
    expect(await readCustomer(own)).toMatchObject({ customer_number: null, cooperative_date: null, version: 1 });
  });
});

describe("a write-only PATCH", () => {
  it("answers alike whether the values it sent were stored already: 204, no ETag, one round trip", async () => {
    const id = await createCustomer({ email: "stored@example.fi", no_sms: true, country: "FI" });
    const guesses = [{ email: "stored@example.fi" }, { no_sms: true }, { country: "fi" }];
    const wrong = [{ email: "other@example.fi" }, { no_sms: false }, { country: "SE" }];
    const seen = new Set<string>();
    for (const body of [...guesses, ...wrong]) {
      const res = await patch(id, body, writer);
      seen.add(`${res.status} ${res.headers.get("ETag")} ${roundTrips(res)} ${await res.text()}`);
    }
    expect([...seen]).toEqual(["204 null 1 "]);
  });
});

describe("a customer number given twice in one bulk PATCH", () => {
  it('"" and "  " (both blank after trimming) are one number: 400 with DRF\'s words, never a 500', async () => {
    const [a, b] = [await createCustomer(), await createCustomer()];
    const expected = [{}, { customer_number: ["Customer with this customer number already exists."] }];
    for (const key of [reader, writer]) {
      const res = await bulk(
        [
          { id: a, customer_number: "" },
          { id: b, customer_number: "  " },
        ],
        key,
      );
      expect([res.status, await res.json()]).toEqual([400, expected]);
    }
  });
});

describe("a customer that reappears", () => {
  it("is a creation that names no writer, in the feed and in the trail", async () => {
    const id = await createCustomer();
    await patch(id, { restricted_type: 2 }, extended);
    await patch(id, { restricted_type: null }, extended);
    type Entry = { customer: number; action: string; consumer: number | null; request_id: string | null };
    const feed: Entry[] = [];
    for (let url = `${BASE}/changes/?limit=1000`; ; ) {
      const page = await (await get(url.slice(BASE.length), reader)).json<{ next: string; results: Entry[] }>();
      feed.push(...page.results);
      if (page.results.length < 1000) break;
      url = page.next;
    }
    const trail = (await (await get(`/customers/${id}/changes/`, reader)).json<{ results: Entry[] }>()).results;
    for (const entries of [feed.filter((entry) => entry.customer === id), trail]) {
      const created = entries.find((entry) => entry.action === "create")!;
      expect(created).toMatchObject({ consumer: null, request_id: null });
    }
  });
});

describe("what earlier tests did not hold", () => {
  it("a bulk in which another item sets restricted_type keeps a hidden customer hidden in its audit row", async () => {
    const hidden = await createCustomer({ restricted_type: 2 });
    const other = await createCustomer();
    const from = (await (await get("/changes/?limit=1000", reader)).json<{ next: string }>()).next;
    expect(
      (
        await bulk(
          [
            { id: hidden, note: "still hidden" },
            { id: other, restricted_type: 1 },
          ],
          extended,
        )
      ).status,
    ).toBe(200);
    const entries = (await (await get(from.slice(BASE.length), reader)).json<{ results: { customer: number }[] }>()).results;
    expect(entries.map((entry) => entry.customer)).toEqual([other]);
  });

  it("erasing a hidden customer shows a consumer without access extended nothing of it", async () => {
    const hidden = await createCustomer({ restricted_type: 2 });
    const from = (await (await get("/changes/?limit=1000", reader)).json<{ next: string }>()).next;
    expect((await request(`/customers/${hidden}/`, { method: "DELETE", key: extended })).status).toBe(204);
    const entries = (await (await get(from.slice(BASE.length), reader)).json<{ results: { customer: number }[] }>()).results;
    expect(entries.filter((entry) => entry.customer === hidden)).toEqual([]);
  });

  it("If-None-Match is compared with the version the consumer counts, not the full one", async () => {
    const id = await createCustomer();
    await patch(id, { restricted_type: 2 }, extended);
    for (let i = 0; i < 3; i++) await patch(id, { note: `hidden ${i}` }, extended);
    await patch(id, { restricted_type: null }, extended);
    const seen = (await get(`/customers/${id}/`, reader)).headers.get("ETag")!;
    const full = (await get(`/customers/${id}/`, extended)).headers.get("ETag")!;
    expect([seen, full]).toEqual(['"3"', '"6"']);
    expect((await get(`/customers/${id}/`, reader, { "If-None-Match": full })).status).toBe(200);
    expect((await get(`/customers/${id}/`, reader, { "If-None-Match": seen })).status).toBe(304);
  });

  it("every seal has a fresh nonce (its first 12 bytes): four cursors of one position have four", async () => {
    const after = async () =>
      new URL((await (await get("/changes/?limit=1000", reader)).json<{ next: string }>()).next).searchParams.get("after")!;
    const nonce = (cursor: string) => atob(cursor.replaceAll("-", "+").replaceAll("_", "/")).slice(0, 12);
    const cursors = await Promise.all(Array.from({ length: 4 }, after));
    expect(new Set(cursors.map(nonce)).size).toBe(4);
  });

  it("a trail's cursor opens on that customer's trail only", async () => {
    const [a, b] = [await createCustomer(), await createCustomer()];
    for (const id of [a, b]) for (let i = 0; i < 3; i++) await patch(id, { note: `n${i}` }, reader);
    const next = (await (await get(`/customers/${a}/changes/?pagination=cursor&limit=1`, reader)).json<{ next: string }>()).next;
    const cursor = new URL(next).searchParams.get("cursor")!;
    expect((await get(`/customers/${a}/changes/?cursor=${cursor}&limit=1`, reader)).status).toBe(200);
    const elsewhere = await get(`/customers/${b}/changes/?cursor=${cursor}&limit=1`, reader);
    expect([elsewhere.status, await elsewhere.json()]).toEqual([404, { details: "Invalid cursor" }]);
  });

  it("a DELETE that answers 412 or 404 leaves the customer's idempotency record as it was", async () => {
    // 412: a stale If-Match. 404: a customer hidden from the consumer that asks.
    for (const [body, refusal] of [
      ['{"name": "Kept"}', { key: () => reader, headers: { "If-Match": '"7"' }, status: 412 }],
      ['{"name": "Kept", "restricted_type": 2}', { key: () => reader, headers: {}, status: 404 }],
    ] as const) {
      const headers = { ...json, "Idempotency-Key": unique("kept") };
      const owner = body.includes("restricted_type") ? extended : reader;
      const { id } = await (await request("/customers/", { method: "POST", key: owner, headers, body })).json<{ id: number }>();
      expect((await request(`/customers/${id}/`, { method: "DELETE", key: refusal.key(), headers: refusal.headers })).status).toBe(
        refusal.status,
      );
      const replay = await request("/customers/", { method: "POST", key: owner, headers, body });
      expect([replay.status, (await replay.json<{ id: number }>()).id]).toEqual([201, id]);
    }
  });
});

describe("new customer ids", () => {
  it("always grow: the id each insert draws is the largest ever given plus 1 to 1024", async () => {
    await createCustomer();
    const { seq } = (await env.DB.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'customers'").first<{ seq: number }>())!;
    // The insert's own expression (src/db/create-customer.ts), drawn 100,000 times in one statement.
    const { NEW_CUSTOMER_ID } = await import("../src/db/create-customer");
    const { compile } = await import("../src/db/engine/compile");
    const { sql } = await import("drizzle-orm");
    const draw = compile(sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      SELECT min(id) AS low, max(id) AS high FROM (SELECT ${NEW_CUSTOMER_ID} AS id FROM n)`);
    const drawn = await env.DB.prepare(draw.sql)
      .bind(...draw.params)
      .first<{ low: number; high: number }>();
    expect(drawn).toEqual({ low: seq + 1, high: seq + 1024 });
  });
});
