/**
 * The bodies `npm run conformance:drf` sends to the DRF reference and to the Worker: every field ×
 * valid values, boundaries, wrong JSON types and Unicode edge cases, several fields at once, unknown
 * fields, malformed JSON and bad UTF-8. Values are JSON text, so numbers reach both exactly as written.
 * A case's class names what kind of input it is, so that a difference is reported once per kind.
 */
export type Case = { class: string; method: "PATCH" | "POST"; body: string | Uint8Array };

const q = (text: string) => JSON.stringify(text);
const long = (n: number, unit = "x") => q(unit.repeat(n));

/** [class, JSON text of a value]. */
type Value = [string, string];

const WRONG_TYPES: Value[] = [
  ["wrong type", "true"],
  ["wrong type", "false"],
  ["wrong type", "[]"],
  ["wrong type", "{}"],
  ["wrong type", '[1, "a", null, true, 1.5]'],
  ["wrong type", '{"a": {"b": [1e3]}}'],
  ["null", "null"],
];

const NUMBERS: Value[] = [
  "0",
  "-0",
  "1",
  "-1",
  "1.0",
  "-0.0",
  "1e3",
  "1E5",
  "1e16",
  "1e15",
  "1.5e300",
  "0.1",
  "1e-5",
  "0.0001",
  "2.5E-7",
  "1e400",
  "-1e400",
  "1.7976931348623157e308",
  "5e-324",
  "123456789012345678901234567890",
  "9007199254740993",
  "100.50",
].map((n) => ["number", n]);

const TEXTS: Value[] = [
  ["text", q("plain")],
  ["text", q("  padded  ")],
  ["blank", q("")],
  ["blank", q("   ")],
  ["python white space", q("\u0085x\u001c")],
  ["python white space", q("\u001fy\u001e\u001d")],
  ["python white space", q("\u00a0z\u3000")],
  ["not white space to Python", q("\ufeffx")],
  ["not white space to Python", q("\u200bx")],
  ["NUL", q("a\u0000b")],
  ["string: a lone surrogate", '"a\\ud800b"'],
  ["escapes", '"\\u00e4\\n\\t\\"\\\\\\/"'],
  ["emoji", q("💧")],
];

function stringValues(max: number): Value[] {
  return [
    ...TEXTS,
    ...NUMBERS,
    ...WRONG_TYPES,
    ["length", long(max)],
    ["length", long(max + 1)],
    ["length", long(max, "💧")],
    ["length", long(max + 1, "💧")],
    ["length", q(`${"x".repeat(max)}\u0000`)],
    ["length", `"${"x".repeat(max)}\\ud800"`],
  ];
}

const EMAILS: Value[] = [
  "a@b.fi",
  "first.last@example.fi",
  "user+tag@sub.example.co.uk",
  "user@localhost",
  "a@[127.0.0.1]",
  "a@[::1]",
  "a@[IPv6:::1]",
  "user@äänekoski.fi",
  "bad",
  "a@b@c.fi",
  "a@localhost.x",
  "@b.fi",
  "a@",
  "a b@c.fi",
  '"quoted"@example.fi',
  "a@-b.fi",
  "a@b.f",
  "a@b.123",
  "ä@example.fi",
  "a..b@example.fi",
  ".a@example.fi",
  "a@example.fi.",
  `${"a".repeat(64)}@example.fi`,
  `${"a".repeat(250)}@b.fi`,
  `${"a".repeat(320)}@b.fi`,
  "a\u0000@ex.fi",
].map((email) => ["email", q(email)]);

const PHONES: Value[] = ["+358 (40) 123-4567", "0401234567", "call me", "1".repeat(33), "abc".repeat(12), "+", "１２３"].map((phone) => [
  /[１２３]/.test(phone) ? "quirk: non-ASCII digits" : "phone",
  q(phone),
]);

const COUNTRIES: Value[] = [
  ...["fi", "FI", " Se ", "xx", "FIN", "", "  ", "\u0085fi\u001f", "\ufefffi", "ﬁ", "zz", "Ax", "f"].map(
    (code): Value => ["country", q(code)],
  ),
  ["country", "1"],
  ["country", "1e3"],
  ...WRONG_TYPES,
  ["string: a lone surrogate named in an error", '"\\ud800"'],
];

const BOOLEANS: Value[] = [
  ...["true", "false", "1", "0", "1.0", "0.0", "-0.0", "1e0", "2", "-1", "null", "[]", "{}", "[true]"].map((v): Value => ["boolean", v]),
  ...["yes", "no", "t", "f", "on", "off", "1", "0", "True", "TRUE", "Y", "n", "maybe", "", " true", "1.0"].map(
    (v): Value => ["boolean", q(v)],
  ),
];

const DATES: Value[] = [
  ...[
    "2026-01-05",
    "2026-1-5",
    "2026-02-30",
    "2024-02-29",
    "2026-13-01",
    "27.11.2026",
    "",
    " 2026-01-01",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2026-01-01T00:00:00Z",
    "20260101",
    "2026-001-01",
  ].map((v): Value => ["date", q(v)]),
  ["quirk: a date followed by a newline", q("2026-01-01\n")],
  ["quirk: non-ASCII digits", q("２０２６-01-01")],
  ["date", "20260101"],
  ...WRONG_TYPES,
];

const DECIMALS: Value[] = [
  ["decimal: negative zero", q("-0")],
  ["decimal: negative zero", "-0.0"],
  ...[
    "1250",
    "1250.5",
    "0.5",
    ".5",
    "5.",
    "1e3",
    "0",
    "+7.25",
    " 12.3 ",
    "9999999999.99",
    "12345678901.23",
    "1.005",
    "-0.01",
    "lots",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "",
    "  ",
    "0E+5",
    "0E-5",
    "1E+10",
    "1E+11",
    "0.00",
    "000123.40",
    "1.2.3",
    "1e",
    "e1",
    "\u00851",
  ].map((v): Value => ["decimal", q(v)]),
  ["decimal", q("1".repeat(1001))],
  ["decimal", q(`${" ".repeat(1000)}1`)],
  ["quirk: underscores in numbers", q("1_000")],
  ["quirk: non-ASCII digits", q("１２")],
  ...["1250.5", "1e3", "12345678901", "1e-7", "0.1", "1e400", "100.50", "0"].map((v): Value => ["decimal", v]),
  ...WRONG_TYPES,
];

function references(valid: number, missing: number): Value[] {
  return [
    ["reference", String(valid)],
    ["reference", q(String(valid))],
    ["reference", q(` ${valid} `)],
    ["reference", q(`00${valid}`)],
    ["reference", q(`+${valid}`)],
    ["reference", `${valid}.0`],
    ["reference", `${valid}e0`],
    ["reference", String(missing)],
    ["reference", q(String(missing))],
    ["reference", `${missing}.0`],
    ["reference", "0"],
    ["reference", "-1"],
    ["reference", q("-1")],
    ["reference", q("")],
    ["reference", q(" ")],
    ["reference", q("abc")],
    ["reference", q("1.0")],
    ["reference", "9007199254740993"],
    ["reference", "9223372036854775807"],
    ["reference: beyond SQLite's integers", "99999999999999999999"],
    ["reference: beyond SQLite's integers", "1e400"],
    ["reference: a non-integral float", "1.5"],
    ["quirk: underscores in numbers", q("1_0")],
    ["quirk: non-ASCII digits", q("１")],
    ...WRONG_TYPES,
  ];
}

const FIELDS: [string, Value[]][] = [
  ["identification", stringValues(50)],
  ["name", stringValues(200)],
  ["name_ext", stringValues(200)],
  ["email", [...EMAILS, ...stringValues(254)]],
  ["phone", [...PHONES, ...stringValues(32)]],
  ["phone2", PHONES],
  ["personal_id", stringValues(32)],
  ["invoice_name", stringValues(200).slice(0, 12)],
  ["note", stringValues(4000)],
  ["country", COUNTRIES],
  ["invoice_country", COUNTRIES.slice(0, 8)],
  ["two_sms_numbers", BOOLEANS],
  ["no_sms", BOOLEANS.slice(0, 12)],
  ["editable_by_customer", BOOLEANS.slice(0, 6)],
  ["cooperative_member", BOOLEANS.slice(0, 6)],
  ["cooperative_date", DATES],
  ["cooperative_reimbursement_date", DATES.slice(0, 6)],
  ["cooperative_sum", DECIMALS],
  ["address", references(7, 9999)],
  ["language", references(2, 4)],
  ["restricted_type", references(1, 3)],
  ["status", references(2, 3)],
  ["type", references(1, 3)],
  ["apartment", references(5, 101)],
  ["water_database", references(3, 4)],
];

const MALFORMED: Value[] = [
  '{"note": x}',
  '{"note": "a",\n "x": }',
  '{"note": ',
  "{'note': 1}",
  '{"a":1,}',
  "[1,]",
  '{"a" 1}',
  '{"a":1 "b"}',
  '{"note": "abc',
  '{"note": "a\\qb"}',
  '{"note": "\\u12"}',
  '{"note": "\\u12',
  '{"note": "\\ud800\\u12"}',
  '{"note": NaN}',
  '{"note": -Infinity}',
  '{"note": Infinity}',
  "{} x",
  "  ",
  '\n\n  {"note": "tab\tx"}',
  '{"note": 1.}',
  '{"note": 01}',
  '{"note": -}',
  '{"note": .5}',
  '{"note": 1e}',
  '{"note": tru}',
  '{"nöte": x}',
  '{"💧": "💧", "x": y}',
  "[1] [2]",
  '"text"',
  "42",
  "4.2",
  "1e3",
  "-0",
  "true",
  "null",
  "[]",
  '{"a": [1, {"b": }]}',
  "\u00a0{}",
  '{"note": "\\/"}',
  `{"note": ${"1".repeat(4301)}}`,
  `{"note": -${"1".repeat(4300)}}`,
].map((text) => ["json", text]);

const BYTES: [string, string][] = [
  ["json: bad UTF-8", "\\xef\\xbb\\xbf{}"],
  ["json: bad UTF-8", '{"note": "a\\xffb"}'],
  ["json: bad UTF-8", '{"note": "a\\xe2\\x82"}'],
  ["json: bad UTF-8", '{"note":"\\xf0\\x9f\\x28"}'],
  ["json: bad UTF-8", '{"note": "\\xed\\xa0\\x80"}'],
  ["json: bad UTF-8", '{"note": "\\xc0\\xaf"}'],
  ["json: bad UTF-8", '{"note": "\\xf4\\x90\\x80\\x80"}'],
  ["json: a truncated UTF-8 sequence at the end", "{}\\xe2\\x82"],
];

/** Bytes written as text with \\xNN escapes, so that invalid UTF-8 reaches the servers as it is. */
const decodeBytes = (text: string) =>
  new Uint8Array(
    Buffer.from(
      text.replace(/\\x([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ),
  );

function build(): Case[] {
  const cases: Case[] = [];
  for (const [field, values] of FIELDS) {
    for (const [kind, value] of values) {
      const cls = kind.includes(":") ? kind : `${field}: ${kind}`;
      cases.push({ class: cls, method: "PATCH", body: `{${q(field)}: ${value}}` });
      if (field !== "name") cases.push({ class: `POST ${cls}`, method: "POST", body: `{"name": "New", ${q(field)}: ${value}}` });
    }
  }
  cases.push(
    ...[0, 1, 2].map((i): Case => ({ class: "customer_number: new", method: "PATCH", body: `{"customer_number": ${q(`CONF-${i}`)}}` })),
  );
  // A number held by a customer no case changes: a created one (the cases PATCH only customers 1-500).
  cases.push({ class: "customer_number: new", method: "POST", body: '{"name": "Holder", "customer_number": "HELD-1"}' });
  cases.push({ class: "customer_number: taken", method: "PATCH", body: '{"customer_number": "HELD-1"}' });
  cases.push({ class: "customer_number: taken", method: "PATCH", body: '{"customer_number": " HELD-1 ", "email": "bad"}' });
  cases.push({ class: "customer_number: taken", method: "POST", body: '{"name": "N", "customer_number": "HELD-1"}' });
  // Customer 1's demo number, given up by then if an earlier case changed customer 1's number.
  cases.push({ class: "customer_number: given up", method: "PATCH", body: '{"customer_number": "C-100001"}' });
  cases.push({ class: "customer_number: a second blank number", method: "PATCH", body: '{"customer_number": ""}' });
  cases.push({ class: "customer_number: a second blank number", method: "PATCH", body: '{"customer_number": "  "}' });
  cases.push(
    ...stringValues(50)
      .filter(([kind]) => kind !== "blank")
      .slice(0, 30)
      .map(([kind, value]): Case => ({ class: `customer_number: ${kind}`, method: "PATCH", body: `{"customer_number": ${value}}` })),
  );
  cases.push(...MALFORMED.map(([cls, text]): Case => ({ class: cls, method: "PATCH", body: text })));
  cases.push(...BYTES.map(([cls, text]): Case => ({ class: cls, method: "PATCH", body: decodeBytes(text) })));
  cases.push({ class: "json: nested too deep", method: "PATCH", body: `{"note": ${"[".repeat(3000)}${"]".repeat(3000)}}` });
  // Several fields at once, unknown and read-only fields, cross-field rules, POST without a name.
  const several = [
    '{"zzz": 1, "cooperative_sum": "x", "address": 777, "email": "bad", "name": "", "customer_number": "HELD-1"}',
    '{"nmae": "typo", "note": "ok"}',
    '{"__proto__": {"x": 1}, "constructor": 1}',
    '{"id": 4242, "modified": "yesterday", "note": "read-only ignored"}',
    '{"note": "a", "note": "b"}',
    '{"cooperative_date": "2026-06-01", "cooperative_reimbursement_date": "2026-05-31"}',
    '{"cooperative_date": "2026-06-01", "cooperative_reimbursement_date": "2026-06-01"}',
    '{"cooperative_reimbursement_date": "2000-01-01"}',
    '{"phone": "call me", "phone2": "1234567890123456789012345678901234", "no_sms": "maybe", "language": 9, "status": "x"}',
    '{"name": null, "email": null, "country": null, "two_sms_numbers": null, "cooperative_sum": null, "address": null}',
    '{"restricted_type": 2, "note": "hidden now"}',
    '{"restricted_type": null}',
    '{"": 1}',
    "{}",
  ];
  cases.push(...several.map((body): Case => ({ class: "several fields", method: "PATCH", body })));
  cases.push(...several.slice(0, 12).map((body): Case => ({ class: "POST several fields", method: "POST", body })));
  cases.push({ class: "string: a lone surrogate named in an error", method: "PATCH", body: '{"\\ud800": 1}' });
  cases.push({ class: "POST without name", method: "POST", body: '{"email": "x@example.fi"}' });
  cases.push({ class: "POST without name", method: "POST", body: "{}" });
  cases.push({
    class: "POST with every field",
    method: "POST",
    body: '{"name": "Every", "name_ext": "E", "email": "e@x.fi", "phone": "1", "phone2": "2", "two_sms_numbers": "yes", "no_sms": 0, "personal_id": 12, "invoice_name": "I", "invoice_country": "se", "country": "fi", "note": "n", "editable_by_customer": "on", "cooperative_member": 1.0, "cooperative_date": "2026-1-1", "cooperative_reimbursement_date": "2026-01-02", "cooperative_sum": 10, "address": "3", "language": 1, "restricted_type": 1, "status": 2, "type": 2, "apartment": 4, "water_database": 1, "identification": 99}',
  });
  return cases;
}

export const CASES = build();
