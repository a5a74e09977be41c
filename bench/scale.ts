/**
 * npm run bench:scale -- --persist-to DIR --label "1,000,000 customers" [--baseline DIR --baseline-label "500 customers"]
 *
 * Serves the local D1 in DIR (made by `npm run dev` for the 500 demo customers, or filled by
 * `npm run seed:scale`) with `npm run preview`, and measures every endpoint and list variant: the median
 * latency of 15 requests and D1's rows read and written for one (from the Worker's access log, which
 * takes them from D1's result `meta`). Writes the table into bench/SCALE.md under the label, with the
 * machine and the date.
 *
 * With --baseline DIR (e.g. the 500 demo customers) and --baseline-label, that database is served too,
 * and each list request is sent to both in turn, so that the machine's noise falls on both alike: the
 * table gives the median as a multiple of the baseline's.
 */
import { type ChildProcess, execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { databaseFiles } from "../scripts/local-database";
import { wrangler } from "../scripts/wrangler";
import { ORDERINGS } from "../src/db/filters";
import { machine, out, root, startPreview, step, writeMarkedBlock } from "./setup";

const { values } = parseArgs({
  options: {
    "persist-to": { type: "string" },
    label: { type: "string" },
    baseline: { type: "string" },
    "baseline-label": { type: "string" },
  },
});
const persistTo = path.resolve(values["persist-to"] ?? ".wrangler/state");
const label = values.label ?? path.basename(persistTo);
const EXPIRED_RECORDS = 200_000;
mkdirSync(out, { recursive: true });

/** fetch, sent once more when the connection failed (the local proxy may drop an idle one). */
async function send(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

/** A served database: its directory, its Worker's address and its access log. */
type Server = { persistTo: string; base: string; logFile: string };
const port = 8800 + Math.floor(Math.random() * 90);
const serverFor = (dir: string, name: string, at: number): Server => ({
  persistTo: dir,
  base: `http://127.0.0.1:${at}`,
  logFile: path.join(out, `scale-access-${name}.log`),
});
const main = serverFor(persistTo, "main", port);
const baseline = values.baseline ? serverFor(path.resolve(values.baseline), "baseline", port + 100) : undefined;
const { base, logFile } = main;

function consumer(gdpr: string, { persistTo }: Server = main) {
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

/** Where a request goes: a served database, with a key of it. */
type Target = Server & { key: string };

/**
 * Each request `times` over (`init` may differ per request, so that every write changes something),
 * to each target in turn, the first one first on even rounds and last on odd ones.
 */
async function measureOn(
  targets: Target[],
  what: string,
  path: string,
  init: RequestInit | ((i: number) => RequestInit) = {},
  times = 15,
): Promise<Measure[]> {
  const durations: number[][] = targets.map(() => []);
  const last: { status: number; requestId: string }[] = [];
  for (let i = 0; i < times; i++) {
    const order = targets.map((_, index) => index);
    for (const index of i % 2 ? order.reverse() : order) {
      const target = targets[index]!;
      const started = performance.now();
      const request = typeof init === "function" ? init(i) : init;
      const res = await send(`${target.base}${path}`, {
        ...request,
        headers: { Authorization: `Token ${target.key}`, ...(request.headers as Record<string, string>) },
      });
      await res.arrayBuffer();
      durations[index]!.push(performance.now() - started);
      last[index] = { status: res.status, requestId: res.headers.get("X-Request-Id")! };
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  return targets.map((target, index) => {
    const line = readFileSync(target.logFile, "utf8")
      .split("\n")
      .find((entry) => entry.includes(last[index]!.requestId));
    const logged = line ? JSON.parse(line) : {};
    const sorted = durations[index]!.sort((a, b) => a - b);
    return {
      label: what,
      median: sorted[Math.floor(times / 2)]!,
      rowsRead: logged.db_rows_read ?? NaN,
      rowsWritten: logged.db_rows_written ?? NaN,
      status: last[index]!.status,
    };
  });
}

const report = (result: Measure, baselineMedian?: number) =>
  console.log(
    `  ${result.label}: ${result.status}, median ${result.median.toFixed(1)} ms, rows read ${result.rowsRead}, written ${result.rowsWritten}` +
      (baselineMedian === undefined
        ? ""
        : `; ${(result.median / baselineMedian).toFixed(2)}× the baseline's ${baselineMedian.toFixed(1)} ms`),
  );

async function measure(what: string, key: string, path: string, init?: RequestInit | ((i: number) => RequestInit), times?: number) {
  const [result] = await measureOn([{ ...main, key }], what, path, init, times);
  report(result!);
  return result!;
}

/** The baseline's medians of the requests sent to both, by request. */
const baselineMedians = new Map<string, number>();

/** A read whose path means the same on both databases: sent to both in turn when there is a baseline. */
async function measureBoth(what: string, key: string, baselineKey: string | undefined, path: string) {
  if (!baseline || !baselineKey) return measure(what, key, path);
  const [result, before] = await measureOn(
    [
      { ...main, key },
      { ...baseline, key: baselineKey },
    ],
    what,
    path,
  );
  baselineMedians.set(what, before!.median);
  report(result!, before!.median);
  return result!;
}

/** Follows cursor mode from its first page to its end; D1's rows summed over every page. */
async function exportAll(key: string, query: string) {
  const started = performance.now();
  const requestIds = new Set<string>();
  let served = 0;
  let next: string | null = `${base}/api/v2/customers/?pagination=cursor&${query}`;
  while (next) {
    const res = await send(next, { headers: { Authorization: `Token ${key}` } });
    const page = (await res.json()) as { next: string | null; results: unknown[] };
    if (res.status !== 200) throw new Error(`export page answered ${res.status}`);
    requestIds.add(res.headers.get("X-Request-Id")!);
    served += page.results.length;
    next = page.next;
  }
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 500));
  let rowsRead = 0;
  let rowsWritten = 0;
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line);
    if (!requestIds.has(entry.request_id)) continue;
    rowsRead += entry.db_rows_read;
    rowsWritten += entry.db_rows_written;
  }
  return { served, pages: requestIds.size, seconds, rowsRead, rowsWritten };
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

const databaseFile = () => databaseFiles(persistTo)[0]!;

/** Runs SQL on a served database's local D1. */
const execute = (command: string, { persistTo }: Server) =>
  wrangler(["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--command", command]);

const servers: ChildProcess[] = [];
for (const served of baseline ? [main, baseline] : [main]) {
  step(`Applying the migrations to ${served.persistTo}`);
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", served.persistTo]);
  // Statistics as docs/deploy.md says to gather them (every statement is shaped so that no statistics
  // can turn it into a scan). The measured database also gets expired idempotency records, which no
  // request purges (the Cron Trigger does): written before its server starts, as nothing else may write
  // the file while workerd holds it.
  const expired = `DELETE FROM idempotency_keys WHERE key_hash LIKE 'expired-%';
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${EXPIRED_RECORDS})
     INSERT INTO idempotency_keys (consumer_id, key_hash, request_hash, customer_id, created_at)
     SELECT (SELECT min(id) FROM api_consumers), 'expired-' || i, 'h', 0, '2020-01-01T00:00:00.000Z' FROM n;`;
  execute(`${served === main ? expired : ""} PRAGMA optimize;`, served);
  writeFileSync(served.logFile, "");
  const { server } = await startPreview(Number(new URL(served.base).port), { PERSIST_TO: served.persistTo, LOG_FILE: served.logFile });
  servers.push(server);
}
try {
  const normal = consumer("normal");
  const extended = consumer("extended");
  const baselineNormal = baseline && consumer("normal", baseline);
  const count = (await (await send(`${base}/api/v2/customers/?limit=1`, { headers: { Authorization: `Token ${extended}` } })).json()) as {
    count: number;
    results: { id: number }[];
  };
  // The newest customers this consumer sees (the newest of all may be hidden or erased).
  const { results: newest } = (await (
    await send(`${base}/api/v2/customers/?limit=101&orderby=-id`, { headers: { Authorization: `Token ${normal}` } })
  ).json()) as {
    results: { id: number }[];
  };
  const lastId = newest[0]!.id;
  const authorized = { headers: { Authorization: `Token ${normal}` } };
  const bulkIds = newest.slice(0, 100).map((customer) => customer.id);
  // Customer 1 has the long audit trail in a seeded database: where its oldest 50 entries begin, and a
  // cursor among its oldest 1,000 entries, found as a client finds it (following `next`, 500 a page).
  const trailOf = 1;
  const trail = (await (await send(`${base}/api/v2/customers/${trailOf}/changes/?limit=1`, authorized)).json()) as { count: number };
  const trailDepth = Math.max(0, trail.count - 50);
  const cursors = [""];
  for (let next: string | null = `${base}/api/v2/customers/${trailOf}/changes/?pagination=cursor&limit=500`; next; ) {
    ({ next } = (await (await send(next, authorized)).json()) as { next: string | null });
    if (next) cursors.push(`&cursor=${new URL(next).searchParams.get("cursor")}`);
  }
  // The page after the next-to-last cursor is a full one (the last page may hold only a few entries).
  const deepCursor = cursors.at(-2) ?? "";
  const json = (body: unknown): RequestInit => ({ headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const keyedPost = (prefix: string) => (i: number) => ({
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": `${prefix}-${Date.now()}-${i}` },
    body: JSON.stringify({ name: "Scale" }),
  });
  step(`Measuring ${label} (${count.count} customers)`);
  const victim = newest.at(-1)!.id;
  const runs = [
    await measure("GET one customer", normal, `/api/v2/customers/${lastId}/`),
    await measure("PATCH one customer", normal, `/api/v2/customers/${lastId}/`, (i) => ({
      method: "PATCH",
      ...json({ note: `scale ${i}` }),
    })),
    await measure("POST a customer", normal, "/api/v2/customers/", { method: "POST", ...json({ name: "Scale" }) }, 1),
    await measure(`POST with an Idempotency-Key, ${EXPIRED_RECORDS} expired records`, normal, "/api/v2/customers/", keyedPost("fresh")),
    await measure("DELETE a customer", normal, `/api/v2/customers/${victim}/`, { method: "DELETE" }, 1),
    await measure("DELETE, not found", normal, `/api/v2/customers/${victim}/`, { method: "DELETE" }),
    await measure("list, default page, access extended", extended, "/api/v2/customers/"),
    await measure("list, offset near the end", normal, `/api/v2/customers/?offset=${Math.max(0, count.count - 100)}`),
  ];
  // Every combination of the equality filters, in every ordering, counted (offset mode) and in cursor mode.
  const combinations = [
    "",
    "status=2",
    "type=2",
    "water_database=3",
    "status=2&type=2",
    "status=2&water_database=3",
    "type=2&water_database=3",
    "status=2&type=2&water_database=3",
    "customer_number=S-500",
  ];
  for (const filter of combinations) {
    for (const orderby of ORDERINGS) {
      const what = `list ${filter ? `?${filter}&` : "?"}orderby=${orderby}`;
      runs.push(await measureBoth(what, normal, baselineNormal, `/api/v2/customers/?${filter}&orderby=${orderby}`));
    }
  }
  for (const filter of combinations) {
    for (const orderby of ORDERINGS) {
      const what = `cursor mode ${filter ? `?${filter}&` : "?"}orderby=${orderby}, second page`;
      const first = (await (await send(`${base}/api/v2/customers/?pagination=cursor&${filter}&orderby=${orderby}`, authorized)).json()) as {
        next: string | null;
      };
      if (first.next) runs.push(await measure(what, normal, first.next.slice(base.length)));
    }
  }
  for (const [range, what] of [
    ["modified__gte=2030-01-01", "no match"],
    ["modified__gte=2020-01-01&modified__lt=2020-01-08", "a week"],
  ]) {
    for (const orderby of ORDERINGS) {
      const request = `list ?${range}&orderby=${orderby} (${what})`;
      runs.push(await measureBoth(request, normal, baselineNormal, `/api/v2/customers/?${range}&orderby=${orderby}`));
    }
  }
  for (const orderby of ["modified", "-modified"]) {
    const range = "modified__gte=2019-01-01&modified__lt=2020-01-01";
    const first = (await (await send(`${base}/api/v2/customers/?pagination=cursor&${range}&orderby=${orderby}`, authorized)).json()) as {
      next: string | null;
    };
    if (first.next)
      runs.push(await measure(`cursor mode ?${range}&orderby=${orderby} (a year), second page`, normal, first.next.slice(base.length)));
  }
  runs.push(
    await measureBoth("list, cursor mode, first page", normal, baselineNormal, "/api/v2/customers/?pagination=cursor&orderby=-modified"),
    await measure("customer's changes, first page", normal, `/api/v2/customers/${trailOf}/changes/`),
    await measure("customer's changes, the oldest 50 by offset", normal, `/api/v2/customers/${trailOf}/changes/?offset=${trailDepth}`),
    await measure(
      "customer's changes, cursor mode, among the oldest 1,000",
      normal,
      `/api/v2/customers/${trailOf}/changes/?pagination=cursor${deepCursor}`,
    ),
    await measure("change feed, a page of 1000", normal, "/api/v2/changes/?limit=1000"),
    await measure("bulk PATCH of 100", normal, "/api/v2/customers/", (run) => ({
      method: "PATCH",
      ...json(bulkIds.map((id) => ({ id, note: `bulk ${run}` }))),
    })),
  );
  step("A full export in cursor mode (limit=500, orderby=-modified)");
  const exported = await exportAll(normal, "orderby=-modified&limit=500");
  console.log(
    `  ${exported.served} customers in ${exported.pages} pages, ${exported.seconds.toFixed(1)} s, rows read ${exported.rowsRead}`,
  );
  const compared = baseline !== undefined;
  const ratio = (run: Measure) => {
    const before = baselineMedians.get(run.label);
    return before ? `${(run.median / before).toFixed(2)}×` : "";
  };
  const size = statSync(databaseFile()).size;
  writeMarkedBlock(
    path.join(root, "bench/SCALE.md"),
    slug(label),
    [
      `### ${label}`,
      "",
      `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}; ${count.count} customers; database file ${(size / 1024 / 1024).toFixed(1)} MiB.`,
      "",
      "Rows are D1's own counts (its result `meta`) for every statement a request runs, from the Worker's access log (the key's lookup is cached, so not in them). A list reads its count and its page.",
      "",
      ...(compared
        ? [
            `The last column is the median as a multiple of the same request's at "${values["baseline-label"] ?? values.baseline}", served at the same time, each request sent to both in turn.`,
            "",
          ]
        : []),
      `| request | status | median ms | rows read | rows written |${compared ? " × median |" : ""}`,
      `|---|---:|---:|---:|---:|${compared ? "---:|" : ""}`,
      ...runs.map(
        (run) =>
          `| ${run.label} | ${run.status} | ${run.median.toFixed(1)} | ${run.rowsRead} | ${run.rowsWritten} |${compared ? ` ${ratio(run)} |` : ""}`,
      ),
      "",
      "A full export in cursor mode (`?pagination=cursor&orderby=-modified&limit=500`, following `next` to the end):",
      "",
      "| customers served | pages | seconds | rows read | rows read per customer served | rows written |",
      "|---:|---:|---:|---:|---:|---:|",
      `| ${exported.served} | ${exported.pages} | ${exported.seconds.toFixed(1)} | ${exported.rowsRead} | ${(exported.rowsRead / exported.served).toFixed(3)} | ${exported.rowsWritten} |`,
    ],
    "Scale",
  );
  console.log("Wrote bench/SCALE.md");
} finally {
  for (const server of servers) server.kill("SIGTERM");
  for (const served of [main, baseline]) if (served) rmSync(served.logFile, { force: true });
}
