/**
 * npm run bench: the production build on workerd (npm run preview) under wrk: PATCH at 8 and 64
 * connections, bulk PATCH of 100 items, the runtime's floor; the server CPU each PATCH costs; D1's rows
 * read and written per PATCH and per bulk PATCH, with no cursor walk open, with 100 open and with 100
 * webhook subscriptions; the rows a change-feed page reads; how soon after its write a webhook delivery
 * arrives (p50, p95) and how fast a bulk import of 10,000 changes is delivered. With DRF_PEER_DIR (the Django REST Framework service it replaces), the same
 * PATCH load and CPU measurement of that peer, in the same run. Writes bench/RESULTS.md between the
 * results markers and exits non-zero if any response was not the expected one.
 * Env: BENCH_DURATION (default 10s), DRF_PEER_DIR.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { checkoutOf } from "./baseline";
import {
  cpuMs,
  ensureWrk,
  ID_MAX,
  load,
  machine,
  out,
  prepareDatabase,
  type Run,
  root,
  startPreview,
  step,
  writeMarkedBlock,
} from "./setup";
import { bulkImport, latencies, pacedWrites, type Receiver, startReceiver, subscribe } from "./webhooks";

const duration = process.env.BENCH_DURATION ?? "10s";
const port = 8700 + Math.floor(Math.random() * 90);
const logFile = path.join(out, "access.log");

/** D1's rows read and written per request of a kind, from the access log written since `from` (a byte offset). */
function rowsPerRequest(from: number, method: string, route: string, log = logFile) {
  const lines = readFileSync(log, "utf8").slice(from).split("\n");
  const entries = lines.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
  const mine = entries.filter((entry) => entry.method === method && entry.route === route && entry.status === 200);
  const mean = (field: string) => mine.reduce((sum, entry) => sum + entry[field], 0) / Math.max(mine.length, 1);
  return { requests: mine.length, read: mean("db_rows_read"), written: mean("db_rows_written"), roundTrips: mean("db_round_trips") };
}
const logSize = (log = logFile) => statSync(log).size;

/** A load run with the CPU time the serving processes spent on it, per request. */
function measured(server: number, run: () => Run) {
  const before = cpuMs(server);
  const result = run();
  return { ...result, cpuMs: (cpuMs(server) - before) / result.requests };
}

/** 100 cursor walks left open after their second page (cursor mode keeps nothing on the server). */
async function openWalks(key: string) {
  const orderings = ["id", "-modified", "customer_number", "-customer_number", "modified"];
  for (let walk = 0; walk < 100; walk++) {
    const query = `pagination=cursor&limit=5&orderby=${orderings[walk % orderings.length]}${walk % 3 ? `&status=${1 + (walk % 2)}` : ""}`;
    const first = (await (
      await fetch(`http://127.0.0.1:${port}/api/v2/customers/?${query}`, { headers: { Authorization: `Token ${key}` } })
    ).json()) as {
      next: string;
    };
    await fetch(first.next, { headers: { Authorization: `Token ${key}` } });
  }
}

/** fetch, again once when workerd has just closed the kept-alive connection the client reuses. */
const fetchAgain = (url: string, init: RequestInit) => fetch(url, init).catch(() => fetch(url, init));

/**
 * D1's rows read by the 10th page of 1000 entries of the change feed, over the audit rows the runs
 * wrote, as the Worker serves it (the feed's rule is the Worker's own), from the access log.
 */
async function feedRowsRead(key: string) {
  const headers = { Authorization: `Token ${key}` };
  let url = `http://127.0.0.1:${port}/api/v2/changes/?limit=1000`;
  let rowsRead = 0;
  for (let page = 1; page <= 10; page++) {
    const mark = logSize();
    url = ((await (await fetchAgain(url, { headers })).json()) as { next: string }).next;
    rowsRead = rowsPerRequest(mark, "GET", "/api/v2/changes").read;
  }
  return { rowsRead, entries: 1000 };
}

/**
 * Webhooks, on the running preview: a bulk import of 10,000 changes to one subscription (how long
 * until its receiver has them all), then 100 subscriptions of 10 consumers and paced writes (how
 * long after its write each entry arrives), then PATCH under wrk with the 100 active (D1's rows per
 * PATCH, to hold against those with none).
 */
async function measureWebhooks(key: string, subscriberKeys: string[], receiver: Receiver) {
  const base = `http://127.0.0.1:${port}`;
  step("Webhooks: a bulk import of 10,000 changes to one subscription");
  await subscribe(base, subscriberKeys.slice(10), 1, receiver, "import");
  const importStart = Date.now();
  await bulkImport(base, key, 100, ID_MAX);
  const imported = await receiver.until(0, "import", 10_000, 120_000);
  const importSeconds = (Math.max(...imported.map((arrival) => arrival.arrivedAt)) - importStart) / 1000;
  console.log(`  ${imported.length} entries delivered ${importSeconds.toFixed(1)} s after the import began`);

  step("Webhooks: 100 subscriptions, paced writes");
  await subscribe(base, subscriberKeys.slice(0, 10), 10, receiver, "paced");
  const from = receiver.arrivals.length;
  const writes = 100;
  await pacedWrites(base, key, writes, 10, ID_MAX);
  const paced = latencies(await receiver.until(from, "paced", writes * 100, 60_000));
  console.log(`  ${paced.entries} entries: p50 ${paced.p50} ms, p95 ${paced.p95} ms after their write`);

  step("Webhooks: PATCH with the 100 subscriptions active");
  const mark = logSize();
  const run = load(port, "PATCH, 8 connections, 100 webhook subscriptions", "patch", key, 8, "5s");
  return {
    run,
    rows: rowsPerRequest(mark, "PATCH", "/api/v2/customers/:id"),
    imported: { entries: imported.length, seconds: importSeconds },
    paced,
  };
}

function stopped(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  if (child.pid) process.kill(-child.pid, "SIGTERM");
  return exited;
}

/** The DRF peer on gunicorn: set up on a fresh database, served, loaded, and its CPU measured. */
async function measurePeer(peer: string) {
  step("The DRF peer: setup and gunicorn");
  const data = mkdtempSync(path.join(tmpdir(), "customer-api-drf-"));
  const env = { ...process.env, PEER_DATA_DIR: data, RESET: "1", PYTHONDONTWRITEBYTECODE: "1" };
  const token = execFileSync("bash", [path.join(peer, "setup.sh")], { env, encoding: "utf8" })
    .trim()
    .split("\n")
    .at(-1)!;
  const peerPort = 18000 + Math.floor(Math.random() * 900);
  const server = spawn("bash", [path.join(peer, "serve.sh"), String(peerPort)], { env, detached: true, stdio: "ignore" });
  try {
    for (let tries = 0; ; tries++) {
      const res = await fetch(`http://127.0.0.1:${peerPort}/customers/1/`, { headers: { Authorization: `Token ${token}` } }).catch(
        () => undefined,
      );
      if (res?.status === 200) break;
      if (tries > 100) throw new Error("the DRF peer did not start");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const options = { prefix: "/customers/" };
    load(peerPort, "DRF warm-up", "patch", token, 8, "3s", options);
    return measured(server.pid!, () => load(peerPort, "DRF peer: PATCH, 8 connections", "patch", token, 8, duration, options));
  } finally {
    await stopped(server);
    rmSync(data, { recursive: true, force: true });
  }
}

const fixed = (n: number, digits = 1) => n.toFixed(digits);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * BENCH_BASELINE=<commit>: this Worker and the one of `commit`, each on a database of its own with the
 * demo data, loaded in turn (three rounds of PATCH, then a bulk PATCH each), so that the machine's noise
 * falls on both alike: the CPU per PATCH (median of the rounds) and D1's rows per request.
 */
async function compareWithBaseline(commit: string) {
  const checkout = checkoutOf(commit);
  const servers: { name: string; port: number; log: string; key: string; persistTo: string; server?: ChildProcess }[] = [];
  try {
    for (const [name, dir] of [
      ["this checkout", root],
      [checkout.label, checkout.dir],
    ] as const) {
      const { persistTo: persist, key: serverKey } = await prepareDatabase({ checkout: dir });
      const entry = {
        name,
        port: port + 100 + servers.length,
        log: path.join(out, `access-${servers.length}.log`),
        key: serverKey,
        persistTo: persist,
      };
      servers.push(entry);
      const started = await startPreview(entry.port, { PERSIST_TO: persist, LOG_FILE: entry.log }, dir);
      Object.assign(entry, { server: started.server });
      load(entry.port, `${name}: warm-up`, "patch", entry.key, 8, "3s");
    }
    const results = servers.map(() => ({
      cpu: [] as number[],
      rps: [] as number[],
      errors: 0,
      patch: { read: 0, written: 0 },
      bulk: { read: 0, written: 0 },
    }));
    for (let round = 1; round <= 3; round++) {
      servers.forEach((entry, i) => {
        const mark = logSize(entry.log);
        const run = measured(entry.server!.pid!, () =>
          load(entry.port, `${entry.name}: PATCH, round ${round}`, "patch", entry.key, 8, duration),
        );
        results[i]!.cpu.push(run.cpuMs);
        results[i]!.rps.push(run.rps);
        results[i]!.errors += run.errors;
        results[i]!.patch = rowsPerRequest(mark, "PATCH", "/api/v2/customers/:id", entry.log);
      });
    }
    servers.forEach((entry, i) => {
      const mark = logSize(entry.log);
      results[i]!.errors += load(entry.port, `${entry.name}: bulk PATCH`, "bulk", entry.key, 8, "5s").errors;
      results[i]!.bulk = rowsPerRequest(mark, "PATCH", "/api/v2/customers", entry.log);
    });
    return servers.map(({ name }, i) => ({ name, ...results[i]! }));
  } finally {
    for (const entry of servers) {
      if (entry.server) await stopped(entry.server);
      rmSync(entry.persistTo, { recursive: true, force: true });
    }
    checkout.remove();
  }
}

/** The comparison as the lines of bench/RESULTS.md. */
function comparisonLines(rows: Awaited<ReturnType<typeof compareWithBaseline>>) {
  return [
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}: each server on a database of its own with the demo data, loaded in turn, three rounds of wrk PATCH (8 connections, ${duration}) each, then a bulk PATCH of 100 items each.`,
    "",
    "| Worker | PATCH req/s (median) | CPU per PATCH, ms (median; the rounds) | rows read / written per PATCH | rows read / written per bulk PATCH | errors |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows.map(
      ({ name, cpu, rps, patch, bulk, errors }) =>
        `| ${name} | ${median(rps).toFixed(0)} | ${fixed(median(cpu), 2)} (${cpu.map((value) => fixed(value, 2)).join(", ")}) | ${fixed(patch.read)} / ${fixed(patch.written)} | ${fixed(bulk.read)} / ${fixed(bulk.written)} | ${errors} |`,
    ),
  ];
}

ensureWrk();
// Ten consumers of ten subscriptions each, and one for the bulk import's.
const { persistTo, key, subscriberKeys } = await prepareDatabase({ subscribers: 11 });
const receiver = await startReceiver();
let server: ChildProcess | undefined;
try {
  const preview = await startPreview(port, { PERSIST_TO: persistTo, LOG_FILE: logFile });
  server = preview.server;
  const pid = server.pid!;
  step("Warming up");
  load(port, "warm-up", "patch", key, 8, "3s");

  step("Measuring, with no cursor walk open");
  let mark = logSize();
  const patch8 = measured(pid, () => load(port, "PATCH, 8 connections", "patch", key, 8, duration));
  const patch64 = load(port, "PATCH, 64 connections", "patch", key, 64, duration);
  const bulk = load(port, "bulk PATCH of 100 customers, 8 connections", "bulk", key, 8, duration);
  const floor = load(port, "floor: no route, no D1, 8 connections", "floor", key, 8, duration);
  const quiet = {
    single: rowsPerRequest(mark, "PATCH", "/api/v2/customers/:id"),
    bulk: rowsPerRequest(mark, "PATCH", "/api/v2/customers"),
  };

  step("Measuring, with 100 cursor walks open");
  await openWalks(key);
  mark = logSize();
  const busyRuns = [
    load(port, "PATCH, 8 connections, 100 walks open", "patch", key, 8, "5s"),
    load(port, "bulk PATCH, 100 walks open", "bulk", key, 8, "5s"),
  ];
  const busy = { single: rowsPerRequest(mark, "PATCH", "/api/v2/customers/:id"), bulk: rowsPerRequest(mark, "PATCH", "/api/v2/customers") };
  const feed = await feedRowsRead(key);
  const webhooks = await measureWebhooks(key, subscriberKeys, receiver);
  await stopped(server);
  server = undefined;
  const peer = process.env.DRF_PEER_DIR ? await measurePeer(path.resolve(process.env.DRF_PEER_DIR)) : undefined;

  const runs = [patch8, patch64, bulk, floor, ...busyRuns, webhooks.run, ...(peer ? [peer] : [])];
  const rows = (label: string, cost: { read: number; written: number }) => `| ${label} | ${fixed(cost.read)} | ${fixed(cost.written)} |`;
  writeMarkedBlock(
    path.join(root, "bench/RESULTS.md"),
    "results",
    [
      `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}.`,
      `Each run: wrk, 2 threads, ${duration} unless it says otherwise; PATCH bodies are valid and change the row (random customer 1–${ID_MAX}).`,
      "",
      "| run | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      ...runs.map((r) => `| ${r.label} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.errors} |`),
      "",
      `Server CPU per PATCH (user + system of every serving process, per request, at 8 connections): ours ${fixed(patch8.cpuMs, 2)} ms (workerd with the local D1, and Miniflare's Node process)${
        peer
          ? `; the DRF peer ${fixed(peer.cpuMs, 2)} ms (gunicorn's master and workers): ${fixed(peer.cpuMs / patch8.cpuMs)}× ours`
          : " (DRF_PEER_DIR not set: no peer measured)"
      }.`,
      "",
      "D1's rows read and written per request (the access log's meta of every statement), with no cursor walk open, with 100 open, and with 100 webhook subscriptions delivering:",
      "",
      "| request | rows read | rows written |",
      "|---|---:|---:|",
      rows("PATCH, no walk open", quiet.single),
      rows("PATCH, 100 walks open", busy.single),
      rows("PATCH, 100 webhook subscriptions", webhooks.rows),
      rows("bulk PATCH of 100, no walk open", quiet.bulk),
      rows("bulk PATCH of 100, 100 walks open", busy.bulk),
      "",
      `D1 round trips per PATCH: ${fixed(quiet.single.roundTrips, 2)}; per bulk PATCH: ${fixed(quiet.bulk.roundTrips, 2)}.`,
      `Customers updated per second: single PATCH ${patch8.rps.toFixed(0)}; bulk PATCH of 100 items ${(bulk.rps * 100).toFixed(0)} (${fixed((bulk.rps * 100) / patch8.rps)}× single).`,
      `Change feed: its 10th page of ${feed.entries} entries read ${feed.rowsRead} rows (D1's meta.rows_read, from the access log).`,
      `Webhooks: a bulk import of 10,000 changes (100 bulk PATCHes of 100) reached its subscription's receiver in ${fixed(webhooks.imported.seconds)} s from the import's start (${webhooks.imported.entries} entries, ${fixed(webhooks.imported.entries / webhooks.imported.seconds, 0)} entries/s); with 100 subscriptions and 10 writes a second, each entry arrived p50 ${webhooks.paced.p50} ms, p95 ${webhooks.paced.p95} ms, max ${webhooks.paced.max} ms after its write (${webhooks.paced.entries} entries).`,
      "",
      `Bundle (wrangler deploy --dry-run --minify): ${preview.build}.`,
    ],
    "Benchmark results",
  );
  const compared = process.env.BENCH_BASELINE ? await compareWithBaseline(process.env.BENCH_BASELINE) : [];
  if (compared.length) writeMarkedBlock(path.join(root, "bench/RESULTS.md"), "comparison", comparisonLines(compared), "Benchmark results");
  const errors = [...runs, ...compared].reduce((sum, run) => sum + run.errors, 0);
  if (errors > 0) {
    console.error(`\n${errors} responses were errors or not the expected status`);
    process.exitCode = 1;
  }
} finally {
  if (server) await stopped(server);
  await receiver.close();
  rmSync(persistTo, { recursive: true, force: true });
}
