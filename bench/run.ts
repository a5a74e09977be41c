/**
 * npm run bench: PATCH throughput and latency of the production build on workerd (npm run preview),
 * with wrk at 8 and 64 connections, and the runtime's floor (a path with no route and no D1).
 * Writes the figures into bench/RESULTS.md between the results markers (the notes around them stay)
 * and exits non-zero if any response was not the expected one.
 * Env: BENCH_DURATION (default 10s), BENCH_CONNECTIONS (default "8 64").
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { ensureWrk, ID_MAX, load, out, prepareDatabase, root, type Run, startPreview, step } from "./setup";

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

function machine() {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  // The workerd that Miniflare runs (not the test plugin's).
  const fromMiniflare = createRequire(createRequire(import.meta.url).resolve("miniflare"));
  const version = (name: string) => JSON.parse(readFileSync(fromMiniflare.resolve(`${name}/package.json`), "utf8")).version;
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; workerd ${version("workerd")} (Miniflare ${version("miniflare")})`;
}

function writeResults(runs: Run[], build: string, roundTrips: ReturnType<typeof roundTripsByStatus>) {
  const file = path.join(root, "bench/RESULTS.md");
  const table = [
    "| run | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...runs.map((r) => `| ${r.label} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.errors} |`),
  ];
  const trips = [...roundTrips].map(([key, { requests, roundTrips: total }]) => `${key}: ${(total / requests).toFixed(2)} (${requests} requests)`);
  const block = [
    "<!-- results:start (written by npm run bench) -->",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}.`,
    `Each run: wrk, 2 threads, ${duration}; PATCH bodies are valid and change the row (random customer 1–${ID_MAX}).`,
    "",
    ...table,
    "",
    `D1 round trips per request (from the Worker's access log): ${trips.join("; ")}.`,
    "",
    `Bundle (wrangler deploy --dry-run --minify): ${build}.`,
    "<!-- results:end -->",
  ].join("\n");
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {}
  const marked = /<!-- results:start[\s\S]*?<!-- results:end -->/;
  writeFileSync(file, marked.test(text) ? text.replace(marked, block) : `# Benchmark results\n\n${block}\n`);
  console.log(`\nWrote ${path.relative(root, file)}`);
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
  runs.push(load(port, "floor: no route, no D1, 8 connections", "floor", key, 8, duration));
  writeResults(runs, preview.build, roundTripsByStatus(logFile));

  const errors = runs.reduce((sum, run) => sum + run.errors, 0);
  if (errors > 0) {
    console.error(`\n${errors} responses were errors or not the expected status`);
    process.exitCode = 1;
  }
} finally {
  server?.kill("SIGTERM");
  rmSync(persistTo, { recursive: true, force: true });
}
