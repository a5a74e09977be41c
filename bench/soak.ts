/**
 * npm run soak (not part of CI): minutes of mixed load on the production build (npm run preview):
 * concurrent writers PATCH the same few customers, readers GET them, listers page the list. Then it
 * checks that nothing was lost: for every customer and field the stored value is the one of the last
 * acknowledged write (the highest ETag), and the audit trail has exactly one entry per change.
 * Writes the figures into docs/reliability.md.
 * Env: SOAK_SECONDS (default 300), SOAK_WRITERS (16), SOAK_READERS (4), SOAK_LISTERS (2), SOAK_CUSTOMERS (20).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { query } from "../scripts/wrangler";
import { machine, prepareDatabase, root, startPreview, step, writeMarkedBlock } from "./setup";

const seconds = Number(process.env.SOAK_SECONDS ?? 300);
const writers = Number(process.env.SOAK_WRITERS ?? 16);
const readers = Number(process.env.SOAK_READERS ?? 4);
const listers = Number(process.env.SOAK_LISTERS ?? 2);
const hotCustomers = Number(process.env.SOAK_CUSTOMERS ?? 20);
const port = 8600 + Math.floor(Math.random() * 90);
const base = `http://127.0.0.1:${port}/api/v2`;

// Small pools of values, so that writers often collide on a field and sometimes change nothing.
const POOLS: Record<string, unknown[]> = {
  note: ["meter A", "meter B", "meter C", "", null],
  phone: ["+358 40 1", "+358 40 2", "(09) 3", null],
  email: ["a@example.fi", "b@example.fi", "c@example.se", null],
  no_sms: [true, false],
  two_sms_numbers: [true, false],
  identification: ["ID-1", "ID-2", null],
  name_ext: ["c/o A", "c/o B", null],
  invoice_name: ["Invoice A", "Invoice B"],
  country: ["fi", "se", "NO", null],
  cooperative_sum: ["1.5", 2, "3.25", null],
};
const FIELDS = Object.keys(POOLS);
const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;

type Ack = { version: number; values: Record<string, unknown> };
const acks = new Map<number, Ack[]>();
const statuses = new Map<string, number>();
const latencies: number[] = [];
let running = true;

async function call(method: string, url: string, key: string, body?: object) {
  const start = performance.now();
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Token ${key}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  latencies.push(performance.now() - start);
  const label = `${method} ${res.status}`;
  statuses.set(label, (statuses.get(label) ?? 0) + 1);
  return { res, json: text ? JSON.parse(text) : undefined };
}

async function writer(key: string) {
  while (running) {
    const id = 1 + Math.floor(Math.random() * hotCustomers);
    const fields = [...new Set(Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => pick(FIELDS)))];
    const body = Object.fromEntries(fields.map((field) => [field, pick(POOLS[field]!)]));
    const { res, json } = await call("PATCH", `${base}/customers/${id}/`, key, body);
    if (res.status !== 200) continue;
    // What the server acknowledged: its own canonical values at the version of the ETag.
    const version = Number(res.headers.get("ETag")!.replaceAll('"', ""));
    const list = acks.get(id) ?? [];
    list.push({ version, values: Object.fromEntries(fields.map((field) => [field, json[field]])) });
    acks.set(id, list);
  }
}

async function reader(key: string) {
  while (running) await call("GET", `${base}/customers/${1 + Math.floor(Math.random() * hotCustomers)}/`, key);
}

async function lister(key: string) {
  while (running) await call("GET", `${base}/customers/?limit=100&offset=${Math.floor(Math.random() * 400)}&orderby=-modified`, key);
}

const { persistTo, key } = await prepareDatabase();
const { server } = await startPreview(port, { PERSIST_TO: persistTo, LOG_FILE: "/dev/null" });
try {
  step(`Soaking for ${seconds} s: ${writers} writers, ${readers} readers, ${listers} listers on customers 1–${hotCustomers}`);
  const started = Date.now();
  const progress = setInterval(() => {
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(`  ${Math.round((Date.now() - started) / 1000)} s: ${total} requests`);
  }, 30_000);
  const loops = [
    ...Array.from({ length: writers }, () => writer(key)),
    ...Array.from({ length: readers }, () => reader(key)),
    ...Array.from({ length: listers }, () => lister(key)),
  ];
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  await Promise.all(loops);
  clearInterval(progress);
  const elapsed = (Date.now() - started) / 1000;

  step("Checking every customer against the last acknowledged write of each field");
  const audit = new Map(
    query<{ customer_id: number; n: number }>(
      `SELECT customer_id, count(*) AS n FROM customer_changes WHERE customer_id <= ${hotCustomers} GROUP BY customer_id`,
      ["--local", "--persist-to", persistTo],
    ).map((row) => [row.customer_id, row.n]),
  );
  const problems: string[] = [];
  let changes = 0;
  for (let id = 1; id <= hotCustomers; id++) {
    const { res, json: stored } = await call("GET", `${base}/customers/${id}/`, key);
    const version = Number(res.headers.get("ETag")!.replaceAll('"', ""));
    const list = acks.get(id) ?? [];
    for (const field of FIELDS) {
      const last = list.filter((ack) => field in ack.values).sort((a, b) => b.version - a.version)[0];
      if (last && JSON.stringify(stored[field]) !== JSON.stringify(last.values[field])) {
        problems.push(
          `customer ${id} ${field}: stored ${JSON.stringify(stored[field])}, last acknowledged ${JSON.stringify(last.values[field])} (v${last.version})`,
        );
      }
    }
    const acknowledgedChanges = new Set(list.map((ack) => ack.version).filter((v) => v > 1)).size;
    changes += version - 1;
    if ((audit.get(id) ?? 0) !== version - 1) problems.push(`customer ${id}: version ${version} but ${audit.get(id) ?? 0} audit entries`);
    if (acknowledgedChanges !== version - 1)
      problems.push(`customer ${id}: ${version - 1} changes but ${acknowledgedChanges} acknowledged`);
  }

  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  const errors = [...statuses].filter(([label]) => !/ (200|201|204)$/.test(label)).reduce((sum, [, n]) => sum + n, 0);
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  const lines = [
    `Soaked ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}:`,
    `${elapsed.toFixed(0)} s, ${writers} writers + ${readers} readers + ${listers} listers on customers 1–${hotCustomers} of the demo data.`,
    "",
    "| figure | value |",
    "|---|---:|",
    `| requests | ${total} (${(total / elapsed).toFixed(0)}/s) |`,
    ...[...statuses].sort().map(([label, n]) => `| ${label} | ${n} |`),
    `| error responses | ${errors} |`,
    `| latency p50 / p99 / max (ms, all requests) | ${p(0.5)} / ${p(0.99)} / ${latencies.at(-1)!.toFixed(1)} |`,
    `| changes written (sum of versions − 1) | ${changes} |`,
    `| fields whose stored value is not the last acknowledged write | ${problems.filter((x) => x.includes("last acknowledged")).length} |`,
    `| customers whose audit trail differs from their changes | ${problems.filter((x) => x.includes("audit")).length} |`,
    "",
    problems.length
      ? `Problems:\n${problems.map((x) => `- ${x}`).join("\n")}`
      : "Nothing was lost: every field holds its last acknowledged write, and every change has exactly one audit entry.",
  ];
  console.log(lines.join("\n"));
  writeMarkedBlock(path.join(root, "docs/reliability.md"), "soak", lines, "Reliability");
  if (problems.length || errors) process.exitCode = 1;
} finally {
  server.kill("SIGTERM");
  rmSync(persistTo, { recursive: true, force: true });
}
