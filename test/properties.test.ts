import { env } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { customerFields, WRITABLE_FIELDS } from "../src/customers/fields";
import { createConsumer, createCustomer, patch, readCustomer, request } from "./helpers";

let key: string;
beforeAll(async () => {
  ({ key } = await createConsumer({ gdpr: "extended" }));
  await env.DB.prepare("INSERT INTO addresses (id, street) VALUES (1, 'Vesitie 1'), (2, 'Vesitie 2')").run();
});

type JsonSchema = {
  type?: string;
  anyOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
};

/** Values that the field's JSON Schema (from the same zod schema that validates) allows. */
function fromSchema(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(fromSchema));
  if (schema.type === "null") return fc.constant(null);
  if (schema.type === "boolean") return fc.boolean();
  // Small ids, so that some exist (references to rows 1 and 2) and some do not.
  if (schema.type === "integer") return fc.integer({ min: schema.minimum ?? 0, max: 4 });
  if (schema.format === "date") {
    return fc
      .date({ min: new Date("1900-01-01"), max: new Date("2100-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  }
  if (schema.format === "email") return fc.emailAddress();
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 20 });
}

const valid = Object.fromEntries(
  WRITABLE_FIELDS.map((field) => [field, fromSchema(z.toJSONSchema(customerFields[field], { io: "output" }) as JsonSchema)]),
);

/** Anything JSON can carry, and the strings that break naive code. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfffy",
    "x".repeat(5000),
    "   ",
    "",
    "__proto__",
    "1e309",
    "-0",
    "NaN",
    "9".repeat(30),
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

const ODD_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "id", "modified", "version", "nmae", "", " name"];

/** A JSON object text (built by hand, so that "__proto__" stays a key and keys may repeat). */
const objectText = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...WRITABLE_FIELDS), fc.boolean()), { maxLength: 8 }),
    fc.array(fc.tuple(fc.constantFrom(...ODD_KEYS), hostile), { maxLength: 2 }),
  )
  .chain(([fields, odd]) =>
    fc
      .tuple(...fields.map(([field, isValid]) => (isValid ? valid[field]! : hostile).map((value) => [field, value] as const)))
      .map((entries) => [...entries, ...odd]),
  )
  .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`).join(",")}}`);

/** Any text at all: JSON of every kind, near-JSON, deep nesting, duplicate keys. */
const anyText = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom(
    "[".repeat(100_000),
    `${'{"a":'.repeat(3000)}1${"}".repeat(3000)}`,
    '{"note": "a", "note": "b"}',
    '\ufeff{"note": "bom"}',
    '{"note": "unterminated',
    "{'note': 'single quotes'}",
    '{"note": NaN}',
    '{"note": 01}',
    "",
    " ",
    "null",
  ),
  objectText,
);

/** A 4xx answer in one of the two documented shapes. */
function expectDocumentedError(status: number, body: unknown) {
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  expect(body).toBeTypeOf("object");
  const entries = Object.entries(body as object);
  expect(entries.length).toBeGreaterThan(0);
  if (entries.length === 1 && entries[0]![0] === "details") {
    expect(entries[0]![1]).toBeTypeOf("string");
    return;
  }
  for (const [, messages] of entries) {
    expect(Array.isArray(messages) && messages.length > 0 && messages.every((m) => typeof m === "string")).toBe(true);
  }
}

async function auditCount(id?: number) {
  const where = id === undefined ? "" : ` WHERE customer_id = ${id}`;
  return (await env.DB.prepare(`SELECT count(*) AS n FROM customer_changes${where}`).first<{ n: number }>())!.n;
}

async function checkPatch(text: string) {
  const id = await createCustomer({ note: "untouched", cooperative_date: "2020-01-01" });
  const before = await readCustomer(id);
  const res = await patch(id, text, key);
  const body = await res.json();
  if (res.status === 200) {
    expect(body).toMatchObject({ id });
    return;
  }
  expectDocumentedError(res.status, body);
  expect(await readCustomer(id)).toEqual(before);
  expect(await auditCount(id)).toBe(0);
}

async function checkPost(text: string) {
  const customers = (await env.DB.prepare("SELECT count(*) AS n FROM customers").first<{ n: number }>())!.n;
  const audit = await auditCount();
  const res = await request("/customers/", { method: "POST", key, headers: { "Content-Type": "application/json" }, body: text });
  const body = await res.json();
  if (res.status === 201) return;
  expectDocumentedError(res.status, body);
  expect((await env.DB.prepare("SELECT count(*) AS n FROM customers").first<{ n: number }>())!.n).toBe(customers);
  expect(await auditCount()).toBe(audit);
}

describe("property: bad input never gets a 5xx, always the documented error, and writes nothing", () => {
  it("PATCH with bodies generated from the schema, valid and hostile values mixed", async () => {
    await fc.assert(fc.asyncProperty(objectText, checkPatch), { numRuns: 200 });
  });

  it("PATCH with any text", async () => {
    await fc.assert(fc.asyncProperty(anyText, checkPatch), { numRuns: 150 });
  });

  it("POST with bodies generated from the schema, and with any text", async () => {
    const withName = objectText.map((text) => (text === "{}" ? '{"name": "N"}' : text.replace("{", '{"name": "Property Test",')));
    await fc.assert(fc.asyncProperty(fc.oneof(withName, anyText), checkPost), { numRuns: 200 });
  });
});
