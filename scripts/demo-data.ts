/**
 * The local demo data as SQL (never part of the migrations): water databases, addresses and
 * apartments with ids from 1, and customers 1–500 at GDPR level normal. The same every time (a seeded
 * generator), and loading it again changes nothing (INSERT OR IGNORE). The tests load it too.
 *   tsx scripts/demo-data.ts <out.sql>
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { literal } from "./wrangler.ts";

const DEMO_CUSTOMERS = 500;

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

/** One INSERT statement per table. */
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
    ];
  });

  return [
    rows("water_databases", ["id", "name"], waterDatabases),
    rows("addresses", ["id", "street", "postal_code", "city"], addresses),
    rows("apartments", ["id", "address", "label"], apartments),
    rows(
      "customers",
      [
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
      ],
      customers,
    ),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const out = process.argv[2];
  if (!out) throw new Error("usage: tsx scripts/demo-data.ts <out.sql>");
  writeFileSync(out, demoDataStatements().join("\n"));
}
