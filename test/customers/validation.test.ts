import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { auditOf, createConsumer, createCustomer, patch, readCustomer } from "../helpers";

let key: string;
beforeAll(async () => {
  ({ key } = await createConsumer({ gdpr: "extended" }));
  await env.DB.prepare("INSERT INTO addresses (id, street) VALUES (1, 'Vesitie 1')").run();
});

/** PATCHes a fresh customer with `body`; asserts the 400 and that nothing was written. */
async function rejected(body: unknown) {
  const id = await createCustomer({ customer_number: null, note: "untouched" });
  const before = await readCustomer(id);
  const res = await patch(id, body, key);
  expect(res.status).toBe(400);
  expect(await readCustomer(id)).toEqual(before);
  expect(await auditOf(id)).toEqual([]);
  return res.json<Record<string, unknown>>();
}

async function accepted(body: Record<string, unknown>) {
  const id = await createCustomer();
  const res = await patch(id, body, key);
  expect(res.status).toBe(200);
  return res.json<Record<string, unknown>>();
}

describe("DRF's validation messages", () => {
  const cases: [string, unknown, Record<string, string[]>][] = [
    ["null for a non-nullable string", { name: null }, { name: ["This field may not be null."] }],
    ["null for a boolean", { no_sms: null }, { no_sms: ["This field may not be null."] }],
    ["a blank name", { name: "   " }, { name: ["This field may not be blank."] }],
    ["an invalid e-mail", { email: "not-an-email" }, { email: ["Enter a valid email address."] }],
    ["an e-mail with two @", { email: "a@b@c.fi" }, { email: ["Enter a valid email address."] }],
    ["an e-mail without a top-level domain", { email: "a@localhost.x" }, { email: ["Enter a valid email address."] }],
    [
      "a too long customer number",
      { customer_number: "x".repeat(51) },
      { customer_number: ["Ensure this field has no more than 50 characters."] },
    ],
    [
      "a too long identification",
      { identification: "x".repeat(51) },
      { identification: ["Ensure this field has no more than 50 characters."] },
    ],
    ["a too long name", { name: "x".repeat(201) }, { name: ["Ensure this field has no more than 200 characters."] }],
    ["a too long e-mail", { email: `${"a".repeat(250)}@b.fi` }, { email: ["Ensure this field has no more than 254 characters."] }],
    ["a too long phone", { phone: "1".repeat(33) }, { phone: ["Ensure this field has no more than 32 characters."] }],
    ["a too long personal id", { personal_id: "1".repeat(33) }, { personal_id: ["Ensure this field has no more than 32 characters."] }],
    ["a too long note", { note: "x".repeat(4001) }, { note: ["Ensure this field has no more than 4000 characters."] }],
    ["letters in a phone", { phone2: "call me" }, { phone2: ["Enter a valid value."] }],
    ["an unknown country", { country: "xx" }, { country: ['"xx" is not a valid choice.'] }],
    ["a three-letter country", { invoice_country: "FIN" }, { invoice_country: ['"FIN" is not a valid choice.'] }],
    ["a boolean that is not one", { two_sms_numbers: "maybe" }, { two_sms_numbers: ["Must be a valid boolean."] }],
    ["2 for a boolean", { cooperative_member: 2 }, { cooperative_member: ["Must be a valid boolean."] }],
    ["a word for a reference", { address: "one" }, { address: ["Incorrect type. Expected pk value, received str."] }],
    [
      "a fraction for a reference (DRF truncates it: docs/decisions.md)",
      { status: 1.5 },
      { status: ["Incorrect type. Expected pk value, received float."] },
    ],
    ["a boolean for a reference", { type: true }, { type: ["Incorrect type. Expected pk value, received bool."] }],
    ["a missing address", { address: 4242 }, { address: ['Invalid pk "4242" - object does not exist.'] }],
    ["a missing language given as a string", { language: "9" }, { language: ['Invalid pk "9" - object does not exist.'] }],
    ["id 0", { water_database: 0 }, { water_database: ['Invalid pk "0" - object does not exist.'] }],
    [
      "a date in another format",
      { cooperative_date: "27.11.2026" },
      { cooperative_date: ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."] },
    ],
    [
      "a date that does not exist",
      { cooperative_date: "2026-02-30" },
      { cooperative_date: ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."] },
    ],
    [
      "a date-time for a date",
      { cooperative_reimbursement_date: "2026-01-01T00:00:00Z" },
      { cooperative_reimbursement_date: ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."] },
    ],
    [
      "a number for a date",
      { cooperative_date: 20260101 },
      { cooperative_date: ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."] },
    ],
    ["a word for a decimal", { cooperative_sum: "lots" }, { cooperative_sum: ["A valid number is required."] }],
    ["NaN for a decimal", { cooperative_sum: "NaN" }, { cooperative_sum: ["A valid number is required."] }],
    ["a boolean for a decimal", { cooperative_sum: true }, { cooperative_sum: ["A valid number is required."] }],
    ["13 digits", { cooperative_sum: "12345678901.23" }, { cooperative_sum: ["Ensure that there are no more than 12 digits in total."] }],
    ["3 decimal places", { cooperative_sum: "1.005" }, { cooperative_sum: ["Ensure that there are no more than 2 decimal places."] }],
    [
      "11 whole digits",
      { cooperative_sum: 12345678901 },
      { cooperative_sum: ["Ensure that there are no more than 10 digits before the decimal point."] },
    ],
    ["a negative sum", { cooperative_sum: "-0.01" }, { cooperative_sum: ["Ensure this value is greater than or equal to 0."] }],
    ["a NUL character", { note: "a\u0000b" }, { note: ["Null characters are not allowed."] }],
    ["a lone surrogate", { note: "a\ud800b" }, { note: ["Surrogate characters are not allowed: U+D800."] }],
    ["a boolean for a string", { identification: true }, { identification: ["Not a valid string."] }],
    ["a list for a string", { note: ["a"] }, { note: ["Not a valid string."] }],
    ["an object for a string", { name: { first: "A" } }, { name: ["Not a valid string."] }],
    ["an unknown field", { nmae: "typo" }, { nmae: ["Unknown field."] }],
    // Parsed, so that "__proto__" is a key of its own rather than the prototype.
    ["__proto__", JSON.parse('{"__proto__": {"x": 1}}'), JSON.parse('{"__proto__": ["Unknown field."]}')],
  ];
  for (const [label, body, errors] of cases) {
    it(label, async () => {
      expect(await rejected(body)).toEqual(errors);
    });
  }

  it("reports every failing field at once, the database's checks included, in field order", async () => {
    const body = { zzz: 1, cooperative_sum: "x", address: 777, email: "bad", name: "", customer_number: "C-TAKEN-1" };
    await createCustomer({ customer_number: "C-TAKEN-1" });
    const errors = await rejected(body);
    expect(errors).toEqual({
      customer_number: ["Customer with this customer number already exists."],
      name: ["This field may not be blank."],
      email: ["Enter a valid email address."],
      cooperative_sum: ["A valid number is required."],
      address: ['Invalid pk "777" - object does not exist.'],
      zzz: ["Unknown field."],
    });
    expect(Object.keys(errors)).toEqual(["customer_number", "name", "email", "cooperative_sum", "address", "zzz"]);
  });

  it("gives a field all of its messages", async () => {
    expect(await rejected({ note: `${"x".repeat(4000)}\u0000` })).toEqual({
      note: ["Ensure this field has no more than 4000 characters.", "Null characters are not allowed."],
    });
  });

  it("refuses a customer number another customer has, and lets a customer keep its own", async () => {
    const number = `C-${crypto.randomUUID()}`.slice(0, 40);
    const owner = await createCustomer({ customer_number: number });
    expect(await rejected({ customer_number: ` ${number} ` })).toEqual({
      customer_number: ["Customer with this customer number already exists."],
    });
    expect((await patch(owner, { customer_number: number, note: "x" }, key)).status).toBe(200);
  });

  it("checks cooperative dates on the merged record", async () => {
    const id = await createCustomer({ cooperative_date: "2026-06-01" });
    const res = await patch(id, { cooperative_reimbursement_date: "2026-05-31" }, key);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      non_field_errors: ["cooperative_reimbursement_date may not be before cooperative_date."],
    });
    expect(await readCustomer(id)).toMatchObject({ cooperative_reimbursement_date: null, version: 1 });
    expect(await auditOf(id)).toEqual([]);
    expect((await patch(id, { cooperative_reimbursement_date: "2026-06-01" }, key)).status).toBe(200);
  });
});

describe("what is accepted, as DRF accepts it", () => {
  it("trims strings and turns numbers into strings", async () => {
    expect(await accepted({ note: "  padded\n", identification: 12345, customer_number: 1.5 })).toMatchObject({
      note: "padded",
      identification: "12345",
      customer_number: "1.5",
    });
  });

  it("allows blank and null for strings other than name", async () => {
    expect(await accepted({ email: "", phone: " ", country: "", name_ext: null })).toMatchObject({
      email: "",
      phone: "",
      country: "",
      name_ext: null,
    });
  });

  it("counts characters, not UTF-16 units", async () => {
    const name = "💧".repeat(200);
    expect(await accepted({ name })).toMatchObject({ name });
  });

  it("upper-cases country codes", async () => {
    expect(await accepted({ country: " fi ", invoice_country: "Se" })).toMatchObject({ country: "FI", invoice_country: "SE" });
  });

  for (const [value, expected] of [
    ["yes", true],
    ["on", true],
    ["1", true],
    [1, true],
    ["True", true],
    ["t", true],
    ["no", false],
    ["off", false],
    ["0", false],
    [0, false],
    ["FALSE", false],
    ["n", false],
  ] as const) {
    it(`reads ${JSON.stringify(value)} as ${expected}`, async () => {
      expect(await accepted({ no_sms: value, editable_by_customer: !expected })).toMatchObject({ no_sms: expected });
    });
  }

  for (const [value, expected] of [
    ["1250", "1250.00"],
    [1250.5, "1250.50"],
    ["0.5", "0.50"],
    [".5", "0.50"],
    ["1e3", "1000.00"],
    ["0", "0.00"],
    ["-0", "0.00"],
    ["+7.25", "7.25"],
    [" 12.3 ", "12.30"],
    ["9999999999.99", "9999999999.99"],
  ] as const) {
    it(`keeps the decimal ${JSON.stringify(value)} exactly as ${expected}`, async () => {
      expect(await accepted({ cooperative_sum: value })).toMatchObject({ cooperative_sum: expected });
    });
  }

  it("accepts ids as numbers or numeric strings, and normalises dates", async () => {
    expect(await accepted({ address: "1", language: 2, cooperative_date: "2026-1-5" })).toMatchObject({
      address: 1,
      language: 2,
      cooperative_date: "2026-01-05",
    });
  });

  for (const email of [
    "first.last@example.fi",
    "user+tag@sub.example.co.uk",
    "user@localhost",
    "a@[127.0.0.1]",
    `${"käyttäjä@example.fi".slice(0, 0)}user@äänekoski.fi`,
  ]) {
    it(`accepts the e-mail ${email}`, async () => {
      expect(await accepted({ email })).toMatchObject({ email });
    });
  }
});

describe("bodies that are not a JSON object", () => {
  for (const [text, type] of [
    ["[1]", "list"],
    ['"text"', "str"],
    ["42", "int"],
    ["4.2", "float"],
    ["1e3", "float"],
    ["true", "bool"],
  ]) {
    it(`${text} → Expected a dictionary, but got ${type}`, async () => {
      expect(await rejected(text)).toEqual({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${type}.`] });
    });
  }

  it("null → No data provided", async () => {
    expect(await rejected("null")).toEqual({ non_field_errors: ["No data provided"] });
  });

  for (const [text, message] of [
    ['{"note": x}', "JSON parse error - Expecting value: line 1 column 10 (char 9)"],
    ['{"note": "a",\n "x": }', "JSON parse error - Expecting value: line 2 column 7 (char 20)"],
    ['{"note": ', "JSON parse error - Expecting value: line 1 column 10 (char 9)"],
    ["{'note': 1}", "JSON parse error - Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"],
  ]) {
    it(`malformed JSON ${JSON.stringify(text)} says what and where`, async () => {
      expect(await rejected(text)).toEqual({ details: message });
    });
  }
});
