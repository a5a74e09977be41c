/**
 * npm run preview: the production build (minified, as `wrangler deploy` makes it) served by workerd
 * directly through Miniflare, without the `wrangler dev` proxy, against the local D1 that `npm run dev`
 * uses (or PERSIST_TO), on $PORT (8787). The access log goes to $LOG_FILE when set, else to stdout;
 * INSPECTOR_PORT opens the V8 inspector (bench/profile.ts). PREVIEW_ASSETS=0 leaves the static
 * assets (/docs) out: Miniflare then has no local assets router in front of the Worker, which is
 * how Cloudflare routes it (run_worker_first), so the benchmarks measure the Worker itself.
 */
import { createWriteStream } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Miniflare, type WorkerOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { d1Folder, persistDir } from "./local-database";
import { wrangler } from "./wrangler";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = path.join(root, "dist");
const persistTo = persistDir();
const port = Number(process.env.PORT ?? 8787);

// PREVIEW_MINIFY=0 keeps names readable, for a CPU profile (bench/profile.ts).
const minify = process.env.PREVIEW_MINIFY === "0" ? [] : ["--minify"];
const build = wrangler(["deploy", "--dry-run", ...minify, "--outdir", outdir]);
const size = /Total Upload: .*/.exec(build)?.[0];
if (size) console.log(`Production build: ${size}`);

// The bindings and settings of wrangler.toml, as wrangler dev would give them.
const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(root, "wrangler.toml"));

const log = process.env.LOG_FILE ? createWriteStream(process.env.LOG_FILE) : process.stdout;
const mf = new Miniflare({
  ...(workerOptions as WorkerOptions),
  // A local preview delivers webhooks to receivers on this machine, as `npm run dev` does (the benchmark's).
  bindings: { ...workerOptions.bindings, WEBHOOKS_ALLOW_LOCALHOST: "true" },
  // Without the assets router, the ASSETS binding still exists (the Worker needs it), answering 404.
  ...(process.env.PREVIEW_ASSETS === "0"
    ? { assets: undefined, serviceBindings: { ...workerOptions.serviceBindings, ASSETS: () => new Response("Not found", { status: 404 }) } }
    : {}),
  scriptPath: path.join(outdir, "index.js"),
  modules: true,
  d1Persist: d1Folder(persistTo),
  // The Worker's own socket, without Miniflare's entry worker in front (what `wrangler dev` adds).
  unsafeDirectSockets: [{ host: "127.0.0.1", port }],
  ...(process.env.INSPECTOR_PORT ? { inspectorPort: Number(process.env.INSPECTOR_PORT) } : {}),
  handleRuntimeStdio(stdout: Readable, stderr: Readable) {
    stdout.pipe(log);
    stderr.pipe(process.stderr);
  },
});
await mf.ready;
console.log(`Preview ready on http://127.0.0.1:${port}/`);

const stop = () => void mf.dispose().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
