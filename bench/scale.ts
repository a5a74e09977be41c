/**
 * npm run bench:scale -- --persist-to DIR --label "1,000,000 customers"
 *
 * Serves the local D1 in DIR (made by `npm run dev` for the 500 demo customers, or filled by
 * `npm run seed:scale`) with `npm run preview`, and measures every endpoint and list variant: the median
 * latency of 5 requests and D1's rows read and written for one (from the Worker's access log, which
 * takes them from D1's result `meta`). Writes the table into bench/SCALE.md under the label, with the
 * machine, the date, and the database's size per customer and per audit row.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { wrangler } from "../scripts/wrangler";
import { machine, out, root, startPreview, step, writeMarkedBlock } from "./setup";

const { values } = parseArgs({ options: { "persist-to": { type: "string" }, label: { type: "string" } } });
const persistTo = path.resolve(values["persist-to"] ?? ".wrangler/state");
const label = values.label ?? path.basename(persistTo);
const port = 8800 + Math.floor(Math.random() * 90);
const base = `http://127.0.0.1:${port}`;
const logFile = path.join(out, "scale-access.log");

function consumer(gdpr: string) {
  const output = execFileSync(
    "npm",
    [
      "run",
      "-s",
      "consumer",
      "--",
      "create",
      "--name",
      `bench:scale ${gdpr}`,
      "--scopes",
      "customers:read,customers:write",
      "--gdpr",
      gdpr,
      "--tier",
      "unlimited",
      "--persist-to",
      persistTo,
    ],
    { cwd: root, encoding: "utf8" },
  );
  return output.trim().split("\n").at(-1)!;
}

type Measure = { label: string; median: number; rowsRead: number; rowsWritten: number; status: number };

/** Each request `times` over (`init` may differ per request, so that every write changes something). */
async function measure(
  what: string,
  key: string,
  path: string,
  init: RequestInit | ((i: number) => RequestInit) = {},
  times = 5,
): Promise<Measure> {
  const durations: number[] = [];
  let last: { status: number; requestId: string } | undefined;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const request = typeof init === "function" ? init(i) : init;
    const res = await fetch(`${base}${path}`, {
      ...request,
      headers: { Authorization: `Token ${key}`, ...(request.headers as Record<string, string>) },
    });
    await res.arrayBuffer();
    durations.push(performance.now() - started);
    last = { status: res.status, requestId: res.headers.get("X-Request-Id")! };
  }
  durations.sort((a, b) => a - b);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const line = readFileSync(logFile, "utf8")
    .split("\n")
    .find((entry) => entry.includes(last!.requestId));
  const logged = line ? JSON.parse(line) : {};
  const result = {
    label: what,
    median: durations[Math.floor(times / 2)]!,
    rowsRead: logged.db_rows_read ?? NaN,
    rowsWritten: logged.db_rows_written ?? NaN,
    status: last!.status,
  };
  console.log(
    `  ${what}: ${result.status}, median ${result.median.toFixed(1)} ms, rows read ${result.rowsRead}, written ${result.rowsWritten}`,
  );
  return result;
}

function databaseFile() {
  const folder = path.join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(folder).find((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite")!;
  return path.join(folder, file);
}

step(`Applying the migrations to ${persistTo}`);
wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo]);
writeFileSync(logFile, "");
const { server } = await startPreview(port, { PERSIST_TO: persistTo, LOG_FILE: logFile });
try {
  const normal = consumer("normal");
  const extended = consumer("extended");
  const count = (await (await fetch(`${base}/api/v2/customers/?limit=1`, { headers: { Authorization: `Token ${extended}` } })).json()) as {
    count: number;
    results: { id: number }[];
  };
  // The newest customers this consumer sees (the newest of all may be hidden or erased).
  const { results: newest } = (await (
    await fetch(`${base}/api/v2/customers/?limit=100&orderby=-id`, { headers: { Authorization: `Token ${normal}` } })
  ).json()) as {
    results: { id: number }[];
  };
  const lastId = newest[0]!.id;
  const bulkIds = newest.map((customer) => customer.id);
  // Customer 1 has the long audit trail in a seeded database.
  const trailOf = 1;
  const json = (body: unknown): RequestInit => ({ headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  step(`Measuring ${label} (${count.count} customers)`);
  const runs = [
    await measure("GET one customer", normal, `/api/v2/customers/${lastId}/`),
    await measure("PATCH one customer", normal, `/api/v2/customers/${lastId}/`, (i) => ({
      method: "PATCH",
      ...json({ note: `scale ${i}` }),
    })),
    await measure("POST a customer", normal, "/api/v2/customers/", { method: "POST", ...json({ name: "Scale" }) }, 1),
    await measure("list, default page (count + 50)", normal, "/api/v2/customers/"),
    await measure("list, default page, access extended", extended, "/api/v2/customers/"),
    await measure("list, offset near the end", normal, `/api/v2/customers/?offset=${Math.max(0, count.count - 100)}`),
    await measure("list ?status=2", normal, "/api/v2/customers/?status=2"),
    await measure("list ?type=2&orderby=-modified", normal, "/api/v2/customers/?type=2&orderby=-modified"),
    await measure("list ?water_database=3&orderby=customer_number", normal, "/api/v2/customers/?water_database=3&orderby=customer_number"),
    await measure("list ?customer_number=S-500", normal, "/api/v2/customers/?customer_number=S-500"),
    await measure("list ?modified__gte=2030-01-01 (no match)", normal, "/api/v2/customers/?modified__gte=2030-01-01"),
    await measure(
      "list ?modified__gte=2020-01-01&modified__lt=2020-01-08&orderby=modified",
      normal,
      "/api/v2/customers/?modified__gte=2020-01-01&modified__lt=2020-01-08&orderby=modified",
    ),
    await measure("customer's changes, first page", normal, `/api/v2/customers/${trailOf}/changes/`),
    await measure("change feed, a page of 1000", normal, "/api/v2/changes/?limit=1000"),
    await measure("bulk PATCH of 100", normal, "/api/v2/customers/", (run) => ({
      method: "PATCH",
      ...json(bulkIds.map((id) => ({ id, note: `bulk ${run}` }))),
    })),
  ];
  const size = statSync(databaseFile()).size;
  writeMarkedBlock(
    path.join(root, "bench/SCALE.md"),
    label.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    [
      `### ${label}`,
      "",
      `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}; ${count.count} customers; database file ${(size / 1024 / 1024).toFixed(1)} MiB.`,
      "",
      "Rows are D1's own counts (its result `meta`) for the statements a request batches; reads of one row by primary key outside a batch (the key's lookup, GET one customer) and the change feed's single query are not counted in them (shown as 0).",
      "",
      "| request | status | median ms | rows read | rows written |",
      "|---|---:|---:|---:|---:|",
      ...runs.map((run) => `| ${run.label} | ${run.status} | ${run.median.toFixed(1)} | ${run.rowsRead} | ${run.rowsWritten} |`),
    ],
    "Scale",
  );
  console.log("Wrote bench/SCALE.md");
} finally {
  server.kill("SIGTERM");
  rmSync(logFile, { force: true });
}
