/**
 * npm run bench: PATCH throughput and latency of the production build on workerd (npm run preview),
 * with wrk at 8 and 64 connections, and the runtime's floor (a path with no route and no D1).
 * Writes the figures into bench/RESULTS.md between the results markers (the notes around them stay)
 * and exits non-zero if any response was not the expected one.
 * Env: BENCH_DURATION (default 10s), BENCH_CONNECTIONS (default "8 64").
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Miniflare } from "miniflare";
import { ensureWrk, ID_MAX, load, machine, out, prepareDatabase, type Run, root, startPreview, step, writeMarkedBlock } from "./setup";

const duration = process.env.BENCH_DURATION ?? "10s";
const connections = (process.env.BENCH_CONNECTIONS ?? "8 64").split(/\s+/).map(Number);
const port = 8700 + Math.floor(Math.random() * 90);

/** Round trips per request, from the access log that the Worker wrote during the runs. */
function roundTripsByStatus(logFile: string) {
  const counts = new Map<string, { requests: number; roundTrips: number }>();
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    if (!line.startsWith("{")) continue;
    const { method, status, db_round_trips } = JSON.parse(line);
    const entry = counts.get(`${method} ${status}`) ?? { requests: 0, roundTrips: 0 };
    entry.requests++;
    entry.roundTrips += db_round_trips;
    counts.set(`${method} ${status}`, entry);
  }
  return counts;
}

/**
 * D1's rows read (meta.rows_read) for one page of the change feed, with the query the Worker sends,
 * on the audit entries the runs wrote: the local D1 opened directly once the preview has stopped.
 */
async function feedRowsRead(persistTo: string) {
  const database = /database_id = "([^"]+)"/.exec(readFileSync(path.join(root, "wrangler.toml"), "utf8"))![1]!;
  const mf = new Miniflare({
    modules: true,
    script: "export default {}",
    d1Databases: { DB: database },
    d1Persist: path.join(persistTo, "v3", "d1"),
  });
  try {
    const db = await mf.getD1Database("DB");
    const total = (await db.prepare("SELECT count(*) AS n FROM customer_changes").first<{ n: number }>())!.n;
    const page = await db
      .prepare("SELECT * FROM customer_changes WHERE id > ? AND NOT (hidden_before = 1 AND hidden_after = 1) ORDER BY id LIMIT ?")
      .bind(Math.floor(total / 2), FEED_PAGE)
      .all();
    return { rowsRead: page.meta.rows_read, entries: page.results.length, auditRows: total };
  } finally {
    await mf.dispose();
  }
}
const FEED_PAGE = 1000;

function stopped(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  return exited;
}

function writeResults(
  runs: Run[],
  build: string,
  roundTrips: ReturnType<typeof roundTripsByStatus>,
  bulk: Run,
  feed: Awaited<ReturnType<typeof feedRowsRead>>,
) {
  const single = runs[0]!;
  const trips = [...roundTrips].map(
    ([key, { requests, roundTrips: total }]) => `${key}: ${(total / requests).toFixed(2)} (${requests} requests)`,
  );
  writeMarkedBlock(
    path.join(root, "bench/RESULTS.md"),
    "results",
    [
      `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}.`,
      `Each run: wrk, 2 threads, ${duration}; PATCH bodies are valid and change the row (random customer 1–${ID_MAX}).`,
      "",
      "| run | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      ...runs.map((r) => `| ${r.label} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.errors} |`),
      "",
      `D1 round trips per request (from the Worker's access log): ${trips.join("; ")}.`,
      "",
      `Customers updated per second: single PATCH ${single.rps.toFixed(0)}; bulk PATCH of 100 items ${(bulk.rps * 100).toFixed(0)} (${((bulk.rps * 100) / single.rps).toFixed(1)}× single).`,
      `Change feed: a page of ${feed.entries} entries out of ${feed.auditRows} audit rows read ${feed.rowsRead} rows (D1's meta.rows_read).`,
      "",
      `Bundle (wrangler deploy --dry-run --minify): ${build}.`,
    ],
    "Benchmark results",
  );
}

ensureWrk();
const { persistTo, key } = await prepareDatabase();
const logFile = path.join(out, "access.log");
let server: ChildProcess | undefined;
try {
  const preview = await startPreview(port, { PERSIST_TO: persistTo, LOG_FILE: logFile });
  server = preview.server;

  step("Warming up");
  load(port, "warm-up", "patch", key, 8, "3s");
  writeFileSync(logFile, "");

  step("Measuring");
  const runs = connections.map((c) => load(port, `PATCH, ${c} connections`, "patch", key, c, duration));
  const bulk = load(port, "bulk PATCH of 100 customers, 8 connections", "bulk", key, 8, duration);
  runs.push(bulk, load(port, "floor: no route, no D1, 8 connections", "floor", key, 8, duration));
  await stopped(server);
  server = undefined;
  writeResults(runs, preview.build, roundTripsByStatus(logFile), bulk, await feedRowsRead(persistTo));

  const errors = runs.reduce((sum, run) => sum + run.errors, 0);
  if (errors > 0) {
    console.error(`\n${errors} responses were errors or not the expected status`);
    process.exitCode = 1;
  }
} finally {
  server?.kill("SIGTERM");
  rmSync(persistTo, { recursive: true, force: true });
}
