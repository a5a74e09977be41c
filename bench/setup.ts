// Shared by bench/run.ts and bench/profile.ts: a local D1 with the demo data, a key, the preview
// server, and wrk.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { literal, query, wrangler } from "../scripts/wrangler";
import { hashKey, newKey } from "../src/auth/keys";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const out = path.join(root, "bench/out");
export const ID_MAX = 500;
const TSX = path.join(root, "node_modules/tsx/dist/cli.mjs");

export const step = (message: string) => console.log(`\n▶ ${message}`);

export function ensureWrk() {
  if (spawnSync("wrk", ["--version"]).error === undefined) return;
  step("Installing wrk (Debian)");
  execFileSync("bash", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk"], { stdio: "inherit" });
}

/**
 * A fresh local D1 with every migration and the demo data of `checkout` (this one, or a worktree of
 * another commit, whose schema may differ), an unlimited key with write access, and `subscribers` more
 * keys that may read the change feed (each may have 10 webhook subscriptions).
 */
export async function prepareDatabase({ subscribers = 0, checkout = root } = {}): Promise<{
  persistTo: string;
  key: string;
  subscriberKeys: string[];
}> {
  step("Preparing a local D1: migrations and the demo data");
  mkdirSync(out, { recursive: true });
  const persistTo = mkdtempSync(path.join(tmpdir(), "customer-api-bench-"));
  const where = ["--local", "--persist-to", persistTo];
  wrangler(["d1", "migrations", "apply", "DB", ...where], checkout);
  const demo = path.join(out, "demo-data.sql");
  execFileSync(process.execPath, [TSX, "scripts/demo-data.ts", demo], { cwd: checkout });
  wrangler(["d1", "execute", "DB", ...where, "--file", demo], checkout);
  const key = newKey();
  const subscriberKeys = Array.from({ length: subscribers }, () => newKey());
  const subscriberRows = await Promise.all(
    subscriberKeys.map(
      async (subscriber, i) => `, ('subscriber ${i}', 'customers:read', 'normal', ${literal(await hashKey(subscriber))}, 'unlimited')`,
    ),
  );
  query(
    `INSERT INTO api_consumers (name, scopes, gdpr_access, key_hash, rate_tier)
     VALUES ('bench', 'customers:read customers:write', 'normal', ${literal(await hashKey(key))}, 'unlimited')${subscriberRows.join("")}`,
    where,
  );
  return { persistTo, key, subscriberKeys };
}

/**
 * npm run preview on `port` (of this checkout, or of `checkout`: a worktree of another commit);
 * resolves once it answers, with the bundle size line of its build.
 */
export async function startPreview(
  port: number,
  env: Record<string, string>,
  checkout = root,
): Promise<{ server: ChildProcess; build: string }> {
  step(`Starting npm run preview (the production build on workerd)${checkout === root ? "" : ` of ${checkout}`}`);
  const server = spawn(process.execPath, [TSX, "scripts/preview.ts"], {
    cwd: checkout,
    // Without Miniflare's local assets router (see scripts/preview.ts): the Worker as Cloudflare runs it.
    env: { ...process.env, PORT: String(port), PREVIEW_ASSETS: "0", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      if (output.includes("Preview ready")) resolve();
    });
    server.on("exit", (code) => reject(new Error(`preview exited with ${code}: ${output}`)));
  });
  return { server, build: /Total Upload: (.*)/.exec(output)?.[1] ?? "unknown" };
}

export type Run = { label: string; requests: number; rps: number; p50: number; p90: number; p99: number; max: number; errors: number };

/** wrk with bench/load.lua: "patch" PATCHes random customers, "floor" asks a path with no route. */
export function load(
  port: number,
  label: string,
  mode: "patch" | "bulk" | "floor",
  key: string,
  connections: number,
  duration: string,
  { prefix = "/api/v2/customers/", idMax = ID_MAX }: { prefix?: string; idMax?: number } = {},
): Run {
  const expected = mode === "floor" ? 404 : 200;
  console.log(`  ${label}: wrk -t2 -c${connections} -d${duration} …`);
  const output = execFileSync(
    "wrk",
    [
      "-t2",
      `-c${connections}`,
      `-d${duration}`,
      "--timeout",
      "5s",
      "--latency",
      "-s",
      path.join(root, "bench/load.lua"),
      `http://127.0.0.1:${port}`,
      "--",
      mode,
      key,
      String(idMax),
      String(expected),
      prefix,
    ],
    { encoding: "utf8" },
  );
  const summary = /SUMMARY (.*)/.exec(output)?.[1] ?? "";
  const value = (name: string) => Number(new RegExp(`${name}=([\\d.]+)`).exec(summary)?.[1] ?? NaN);
  const run = {
    label,
    requests: value("requests"),
    rps: value("rps"),
    p50: value("p50_ms"),
    p90: value("p90_ms"),
    p99: value("p99_ms"),
    max: value("max_ms"),
    errors: value("unexpected") + value("socket_errors"),
  };
  // wrk's counts of each kind of error, when there are some.
  const kinds = run.errors ? ` (${/unexpected=.*/.exec(summary)?.[0]})` : "";
  console.log(`    ${run.rps.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}${kinds}`);
  return run;
}

/** Replaces the block between `<!-- NAME:start` and `<!-- NAME:end -->` in a Markdown file (or appends it). */
export function writeMarkedBlock(file: string, name: string, lines: string[], title: string) {
  const block = [`<!-- ${name}:start (written by a script: do not edit) -->`, ...lines, `<!-- ${name}:end -->`].join("\n");
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {}
  const marked = new RegExp(`<!-- ${name}:start[\\s\\S]*?<!-- ${name}:end -->`);
  writeFileSync(file, marked.test(text) ? text.replace(marked, block) : `${text || `# ${title}\n`}\n${block}\n`);
  console.log(`\nWrote ${path.relative(root, file)}`);
}

/** The machine and the runtime, for the reports. */
export function machine() {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  // The workerd that Miniflare runs (not the test plugin's).
  const fromMiniflare = createRequire(createRequire(import.meta.url).resolve("miniflare"));
  const version = (name: string) => JSON.parse(readFileSync(fromMiniflare.resolve(`${name}/package.json`), "utf8")).version;
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; workerd ${version("workerd")} (Miniflare ${version("miniflare")})`;
}

/** The CPU time (user + system, in ms) used so far by a process and every process it started. */
export function cpuMs(pid: number): number {
  const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));
  const stats = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        // The command may hold spaces and parentheses: the fields follow its last ")".
        const text = readFileSync(`/proc/${name}/stat`, "utf8");
        const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
        return [{ pid: Number(name), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }];
      } catch {
        return [];
      }
    });
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const stat of stats) if (tree.has(stat.ppid) && !tree.has(stat.pid)) grew = Boolean(tree.add(stat.pid));
  }
  return (stats.filter((stat) => tree.has(stat.pid)).reduce((sum, stat) => sum + stat.ticks, 0) * 1000) / ticksPerSecond;
}
