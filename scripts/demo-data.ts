/**
 * The local demo data as SQL (never part of the migrations): water databases, addresses and
 * apartments with ids from 1, customers 1–500 at GDPR level normal, and their creations in the audit
 * trail (entry 1 of each), made by consumer 1, "Demo data", whose key was revoked before it was ever
 * given. The same every time (a seeded generator), and loading it again changes nothing (INSERT OR
 * IGNORE). The tests load it too.
 *   tsx scripts/demo-data.ts <out.sql>
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { literal } from "./wrangler.ts";

const DEMO_CUSTOMERS = 500;
/** When demo customer `id` was created (and last modified): one an hour from the start of 2026. */
const createdAt = (id: number) => new Date(Date.UTC(2026, 0, 1) + (id - 1) * 3_600_000).toISOString();
const DEMO_REQUEST = "00000000-0000-4000-8000-000000000001";

// mulberry32: a small seeded generator, so the demo set is deterministic.
let seed = 0;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

const FIRST = [
  "Aino",
  "Eero",
  "Helmi",
  "Juhani",
  "Kaisa",
  "Lauri",
  "Maija",
  "Niko",
  "Oona",
  "Pekka",
  "Saara",
  "Timo",
  "Ville",
  "Elsa",
  "Anders",
  "Linnea",
];
const LAST = [
  "Virtanen",
  "Korhonen",
  "Mäkinen",
  "Nieminen",
  "Mäkelä",
  "Hämäläinen",
  "Laine",
  "Heikkinen",
  "Koskinen",
  "Järvinen",
  "Lindqvist",
  "Öberg",
];
const STREETS = ["Vesitie", "Kaivokatu", "Lähdepolku", "Järvenranta", "Myllytie", "Kirkkokatu", "Koulutie", "Rantakatu"];
const CITIES = [
  ["00100", "Helsinki"],
  ["33100", "Tampere"],
  ["20100", "Turku"],
  ["90100", "Oulu"],
  ["40100", "Jyväskylä"],
] as const;

const rows = (table: string, columns: string[], values: (string | number | null)[][]) =>
  values.length === 0
    ? ""
    : `INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) VALUES\n${values
        .map((row) => `(${row.map((v) => (typeof v === "number" ? String(v) : literal(v))).join(", ")})`)
        .join(",\n")};\n`;

/**
 * Each customer's creation, entry 1 of its trail, naming the fields it was given; one that has a trail
 * already keeps it (the audit trail numbers its entries itself, so a reload adds none). In statements
 * of 250 customers: D1 takes statements of at most 100 KB.
 */
function creations(columns: string[], customers: (string | number | null)[][]): string[] {
  const given = (row: (string | number | null)[]) =>
    JSON.stringify(columns.filter((column, index) => !["id", "modified"].includes(column) && row[index] !== null));
  const statement = (rows: (string | number | null)[][]) =>
    `INSERT INTO customer_changes (customer_id, consumer_id, request_id, at, action, fields, version, shown_version)
SELECT column1, 1, ${literal(DEMO_REQUEST)}, column2, 'create', column3, 1, 1 FROM (VALUES
${rows.map((row) => `(${row[0]}, ${literal(createdAt(row[0] as number))}, ${literal(given(row))})`).join(",\n")})
WHERE NOT EXISTS (SELECT 1 FROM customer_changes WHERE customer_id = column1);\n`;
  return Array.from({ length: Math.ceil(customers.length / 250) }, (_, k) => statement(customers.slice(k * 250, (k + 1) * 250)));
}

/** The INSERT statements, each at most 100 KB. */
export function demoDataStatements(): string[] {
  seed = 20261127;
  const waterDatabases = [
    [1, "Northern network"],
    [2, "Southern network"],
    [3, "Lake district"],
  ];
  const addresses = Array.from({ length: 200 }, (_, i) => {
    const [postal, city] = pick(CITIES);
    return [i + 1, `${pick(STREETS)} ${1 + Math.floor(random() * 80)}`, postal, city];
  });
  const apartments = Array.from({ length: 100 }, (_, i) => [
    i + 1,
    1 + (i % 200),
    `${pick(["A", "B", "C"])} ${1 + Math.floor(random() * 40)}`,
  ]);

  const customers = Array.from({ length: DEMO_CUSTOMERS }, (_, i) => {
    const id = i + 1;
    const first = pick(FIRST);
    const last = pick(LAST);
    const email = `${first}.${last}`
      .toLowerCase()
      .normalize("NFD")
      .replace(/[^a-z.]/g, "");
    const cooperative = chance(0.3);
    return [
      id,
      `C-${String(100000 + id)}`,
      `${first} ${last}`,
      chance(0.8) ? `${email}${id}@example.fi` : null,
      chance(0.7) ? `+358 40 ${String(1000000 + Math.floor(random() * 8999999))}` : null,
      chance(0.5) ? 1 : 0,
      "FI",
      cooperative ? 1 : 0,
      cooperative ? `20${10 + Math.floor(random() * 15)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}` : null,
      cooperative ? `${Math.floor(random() * 2000)}.${String(Math.floor(random() * 100)).padStart(2, "0")}` : null,
      1 + Math.floor(random() * 200),
      pick([1, 1, 1, 2, 3]),
      chance(0.1) ? 1 : null, // restricted type 1 is level normal; demo customers are all at level normal
      pick([1, 1, 1, 2]),
      pick([1, 1, 2]),
      chance(0.3) ? 1 + Math.floor(random() * 100) : null,
      pick([1, 2, 3]),
      createdAt(id),
    ];
  });

  const customerColumns = [
    "id",
    "customer_number",
    "name",
    "email",
    "phone",
    "no_sms",
    "country",
    "cooperative_member",
    "cooperative_date",
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
  return [
    rows("water_databases", ["id", "name"], waterDatabases),
    rows("addresses", ["id", "street", "postal_code", "city"], addresses),
    rows("apartments", ["id", "address", "label"], apartments),
    rows("customers", customerColumns, customers),
    // The consumer that wrote them: no key hashes to its key_hash, and it is revoked.
    rows(
      "api_consumers",
      ["id", "name", "scopes", "gdpr_access", "key_hash", "created_at", "revoked_at"],
      [[1, "Demo data", "", "normal", "no key: demo data", createdAt(1), createdAt(1)]],
    ),
    ...creations(customerColumns, customers),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const out = process.argv[2];
  if (!out) throw new Error("usage: tsx scripts/demo-data.ts <out.sql>");
  writeFileSync(out, demoDataStatements().join("\n"));
}
