/**
 * npm run seed:scale -- --customers 1000000 --changes 5000000 [--persist-to DIR]
 *
 * Fills the local D1 of `npm run dev` (PERSIST_TO, or --persist-to) with realistic, deterministic data
 * for measuring at scale: statuses, types and water databases in uneven shares, `modified` spread over
 * eleven years, about 10% with a restricted type and 0.1% at level `extended`, erased ids (every 97th,
 * with their `delete` audit entry), and audit trails (customer 1 of the seed has 50,000 entries; the
 * rest are spread). It writes with SQLite directly into the database file (Python's sqlite3, which every
 * machine here has), in one transaction a step, with progress; stop `npm run dev` first.
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { databaseFiles, persistDir } from "./local-database";
import { wrangler } from "./wrangler";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000000" },
    changes: { type: "string", default: "5000000" },
    "persist-to": { type: "string" },
  },
});
const customers = Number(values.customers);
const changes = Number(values.changes);
if (!Number.isSafeInteger(customers) || customers < 1 || !Number.isSafeInteger(changes) || changes < 0) {
  console.error("seed:scale: --customers and --changes take whole numbers");
  process.exit(2);
}
const persistTo = persistDir(values["persist-to"]);

console.log(`Migrating the local D1 in ${persistTo} …`);
wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo]);
const [file] = databaseFiles(persistTo);
if (!file) throw new Error(`no D1 database file in ${persistTo}`);

const CHUNK = 100_000;
const LONG_TRAIL = Math.min(50_000, changes);
// Deterministic spreads from the row number n: multiplicative hashes, no randomness.
const customerSteps = Array.from({ length: Math.ceil(customers / CHUNK) }, (_, i) => {
  const from = i * CHUNK + 1;
  const to = Math.min(customers, (i + 1) * CHUNK);
  return [
    `customers ${from}–${to}`,
    `WITH RECURSIVE seq(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM seq WHERE n < ${to})
     INSERT INTO customers (id, customer_number, name, email, phone, two_sms_numbers, no_sms, country, editable_by_customer,
       cooperative_member, address, language, restricted_type, status, type, water_database, modified, version)
     SELECT (SELECT base FROM seed) + n, 'S-' || n, 'Customer ' || n, 'c' || n || '@example.fi', '+358 40 ' || (1000000 + (n * 7919) % 9000000),
       0, (n * 13) % 7 = 0, 'FI', 0, (n * 17) % 5 = 0, 1 + (n * 31) % 200, 1 + (n * 7) % 3,
       CASE WHEN (n * 2246822519) % 1000 = 0 THEN 2 WHEN (n * 2246822519) % 10 = 1 THEN 1 END,
       1 + ((n * 2654435761) % 5 = 0), 1 + ((n * 40503) % 10 < 3), 1 + (n * 9973) % 3,
       strftime('%Y-%m-%dT%H:%M:%fZ', 1420070400 + (n * 104729) % 347155200, 'unixepoch'), 1 + (n * 3) % 4
     FROM seq WHERE n % 97 != 0`,
  ];
});
const changeSteps = Array.from({ length: Math.ceil(changes / CHUNK) }, (_, i) => {
  const from = i * CHUNK;
  const to = Math.min(changes, (i + 1) * CHUNK) - 1;
  return [
    `audit entries ${from + 1}–${to + 1}`,
    `WITH RECURSIVE seq(k) AS (SELECT ${from} UNION ALL SELECT k + 1 FROM seq WHERE k < ${to})
     INSERT INTO customer_changes (customer_id, consumer_id, request_id, at, action, fields)
     SELECT (SELECT base FROM seed) + CASE WHEN k < ${LONG_TRAIL} THEN 1 ELSE 1 + (k * 7919) % ${customers} END,
       (SELECT consumer FROM seed), 'seed-' || k,
       strftime('%Y-%m-%dT%H:%M:%fZ', 1420070400 + k * (347155200 / ${Math.max(changes, 1)}), 'unixepoch'),
       'update', CASE k % 3 WHEN 0 THEN '["note"]' WHEN 1 THEN '["status","note"]' ELSE '["email"]' END
     FROM seq`,
  ];
});
const steps = [
  [
    "reference data and the seed's consumer",
    `INSERT OR IGNORE INTO water_databases (id, name) VALUES (1, 'North'), (2, 'South'), (3, 'East');
     WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 200)
       INSERT OR IGNORE INTO addresses (id, street) SELECT n, 'Vesitie ' || n FROM seq;
     INSERT INTO api_consumers (name, scopes, gdpr_access, key_hash, revoked_at)
       VALUES ('seed:scale', '', 'none', lower(hex(randomblob(32))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
     CREATE TEMP TABLE seed AS SELECT coalesce((SELECT max(id) FROM customers), 0) AS base, last_insert_rowid() AS consumer;`,
  ],
  ...customerSteps,
  [
    "erasures of the missing ids",
    `WITH RECURSIVE seq(n) AS (SELECT 97 UNION ALL SELECT n + 97 FROM seq WHERE n + 97 <= ${customers})
     INSERT INTO customer_changes (customer_id, consumer_id, request_id, at, action, fields)
     SELECT (SELECT base FROM seed) + n, (SELECT consumer FROM seed), 'seed-erase-' || n, '2014-12-31T00:00:00.000Z', 'delete', '[]' FROM seq`,
  ],
  ...changeSteps,
  ["statistics for the query planner", "ANALYZE"],
];

const runner = `
import json, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA foreign_keys = ON")
for label, script in json.load(sys.stdin):
    started = time.time()
    db.executescript("BEGIN;\\n" + script + ";\\nCOMMIT;")
    print(f"  {label}: {time.time() - started:.1f} s", flush=True)
`;
console.log(`Seeding ${customers.toLocaleString("en")} customers and ${changes.toLocaleString("en")} audit entries into ${file} …`);
execFileSync("python3", ["-c", runner, file], { input: JSON.stringify(steps), stdio: ["pipe", "inherit", "inherit"] });
console.log("Done. Start the API with npm run dev (or npm run preview) on the same database.");
