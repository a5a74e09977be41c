/**
 * npm run dev (npm start) [-- --env staging]: a local D1 with every migration (and, when the database
 * is new, the demo data), then `wrangler dev` on $PORT (8787); with --env, that environment of
 * wrangler.toml, its own local database and its secrets in .dev.vars.<env>. PERSIST_TO=<dir> keeps this
 * instance's local database there instead of .wrangler/state, DEV_VARS=<file> its secrets,
 * INSPECTOR_PORT its debugger's port (9229), and SEALING_KEY_IN_USE=2 makes the other slot of the
 * sealing key seal. It prints the migrations' outcome once, and ends with the URL, the docs URL and
 * the command that issues a key. While it runs, `npm run db:reset` refuses to delete its database
 * (scripts/local-database.ts).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs, stripVTControlCharacters } from "node:util";
import { fail } from "./cli";
import { root } from "./dev-server";
import { addMissingSecrets } from "./dev-vars";
import { claimDatabase, persistDir } from "./local-database";
import { target, wrangler } from "./wrangler";

process.chdir(root);
const port = process.env.PORT ?? "8787";
const inspectorPort = process.env.INSPECTOR_PORT ?? "9229";
const persist = persistDir();

/** `-- --env staging`: the environment, and its local database (--local [--env E] [--persist-to DIR]). */
function chosen() {
  try {
    const { env } = parseArgs({ options: { env: { type: "string" } } }).values;
    return { env, database: target({ env }) };
  } catch (error) {
    return fail("dev", (error as Error).message);
  }
}
const { env, database } = chosen();
const environment = env === undefined ? [] : ["--env", env];
const persistArgs = process.env.PERSIST_TO ? ["--persist-to", persist] : [];

// Miniflare fetches a sample Request.cf object once a month and warns, with a stack trace, when it is
// offline: give it a placeholder in its cache instead (the Worker reads nothing from Request.cf).
const cache = path.join(root, ".wrangler/cache");
const cf = path.join(cache, "cf.json");
mkdirSync(cache, { recursive: true });
if (!existsSync(cf) || Date.now() - statSync(cf).mtimeMs > 25 * 86_400_000) {
  writeFileSync(
    cf,
    JSON.stringify({
      colo: "HEL",
      country: "FI",
      city: "Helsinki",
      timezone: "Europe/Helsinki",
      clientAcceptEncoding: "gzip, deflate, br",
    }),
  );
}

// The secrets wrangler.toml requires (the two slots of the sealing key): random ones of this
// checkout's own, in .dev.vars (.dev.vars.staging for --env staging, which wrangler reads first), or in
// the file DEV_VARS names (then wrangler reads its secrets from there).
const devVars = process.env.DEV_VARS ? path.resolve(process.env.DEV_VARS) : path.join(root, env ? `.dev.vars.${env}` : ".dev.vars");
const envFile = process.env.DEV_VARS ? ["--env-file", devVars] : [];
addMissingSecrets(devVars, root);

claimDatabase(persist);
const migrated = wrangler(["d1", "migrations", "apply", "DB", ...database]);
// wrangler reprints its table of migrations after each one: each name counts once.
const applied = [...new Set([...migrated.matchAll(/│ (\d{4}_[\w-]+\.sql) +│ ✅/g)].map((match) => match[1]!))];
console.log(
  applied.length
    ? `Migrations: applied ${applied.length} to the local database (${applied[0]} … ${applied.at(-1)}).`
    : "Migrations: the local database is up to date.",
);
// A database that has just got its first migration is new.
if (applied[0]?.startsWith("0000_")) {
  const sql = path.join(root, ".wrangler/demo-data.sql");
  spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/demo-data.ts", sql], { stdio: "inherit" });
  wrangler(["d1", "execute", "DB", ...database, "--file", sql]);
  console.log("Demo data loaded: customers 1-500.");
} else {
  console.log("Using the existing local database (npm run db:reset starts afresh with the demo data).");
}

const consumerFlags = [...environment, ...persistArgs].map((arg) => ` ${arg}`).join("");
const banner = [
  "",
  `  Customer API on http://127.0.0.1:${port}/api/v2/`,
  `  Documentation: http://127.0.0.1:${port}/docs`,
  "  Get a key (in another terminal; the key is the last line):",
  `    npm run consumer -- create --name "me" --scopes customers:read,customers:write --gdpr normal${consumerFlags}`,
  "",
].join("\n");

// wrangler's own copy of each request's log line, its banner and its notices are left out: the Worker
// writes one JSON line per request, and the banner above says what matters.
const NOISE = [
  /^\[wrangler:info\] (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) .* \([0-9.]+ms\)$/,
  /⛅️ wrangler|^─+$|"secrets" fields are experimental|Processing wrangler\.toml configuration|^\s*$|update available|^Your Worker has access to|^env\.|^Binding|^- /,
];
// SEALING_KEY_IN_USE=2 npm run dev: the other slot of the sealing key seals, as after a rotation (docs/deploy.md).
const sealingSlot = process.env.SEALING_KEY_IN_USE ? ["--var", `SEALING_KEY_IN_USE:${process.env.SEALING_KEY_IN_USE}`] : [];
// Local development delivers webhooks to receivers on this machine (http://localhost, http://127.0.0.1).
const localWebhooks = ["--var", "WEBHOOKS_ALLOW_LOCALHOST:true"];
const server = spawn(
  process.execPath,
  [
    path.join(root, "node_modules/wrangler/bin/wrangler.js"),
    "dev",
    "--port",
    port,
    "--ip",
    "127.0.0.1",
    "--inspector-port",
    inspectorPort,
    ...environment,
    ...persistArgs,
    ...envFile,
    ...sealingSlot,
    ...localWebhooks,
  ],
  {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", MINIFLARE_CACHE_DIR: cache },
    stdio: ["inherit", "pipe", "pipe"],
  },
);
let shown = false;
for (const stream of [server.stdout!, server.stderr!]) {
  let pending = "";
  stream.on("data", (chunk: Buffer) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      // Until wrangler is ready only its warnings and errors pass; after it, everything but the noise.
      const plain = stripVTControlCharacters(line);
      if (NOISE.some((pattern) => pattern.test(plain))) continue;
      if (!shown && !/Ready on|ERROR|✘/.test(plain)) continue;
      console.log(line);
      if (!shown && plain.includes("Ready on")) {
        shown = true;
        console.log(banner);
      }
    }
  });
}
const stop = () => server.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", (code) => process.exit(code ?? 0));
