// Runs the project's own wrangler, as the npm scripts do; a failure is one line (scripts/cli.ts).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs, stripVTControlCharacters } from "node:util";
import { CommandError } from "./cli.ts";

const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));

/** What to do about the failures an operator meets, in one line. */
const ADVICE: [RegExp, string][] = [
  [
    /CLOUDFLARE_API_TOKEN|not logged in|wrangler login|Authentication error/i,
    "not logged in to Cloudflare: run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN",
  ],
  [
    /Couldn't find a D1 DB|database_id.*0{8}|not found.*database/i,
    "no such D1 database: set the database_id of wrangler.toml (docs/deploy.md)",
  ],
  [/fetch failed|ENOTFOUND|EAI_AGAIN|getaddrinfo/i, "Cloudflare's API cannot be reached from here: check the network"],
  [
    /no such table/i,
    "the database has no tables yet: `npm run dev` (`npm run dev -- --env staging`) migrates the local one, `npm run deploy` the deployed one",
  ],
];

/** Runs wrangler on the wrangler.toml of `cwd` (this checkout's, or the bench's other commit's). */
export function wrangler(args: string[], cwd?: string): string {
  const result = spawnSync(process.execPath, [WRANGLER, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status === 0) return result.stdout;
  const output = stripVTControlCharacters(`${result.stderr}\n${result.stdout}`);
  const advice = ADVICE.find(([pattern]) => pattern.test(output))?.[1];
  // With --json, wrangler prints its error as {"error": {"text": …}} on stdout.
  const error = /✘ \[ERROR\] (.+)/.exec(output)?.[1] ?? /"text": "(.+)"/.exec(output)?.[1] ?? output.trim().split("\n").at(-1);
  throw new CommandError(`wrangler ${args.slice(0, 2).join(" ")} failed: ${advice ?? error ?? `exit status ${result.status}`}`);
}

/** The options of every command that runs against one database (parseArgs's form). */
export const TARGET_OPTIONS = {
  remote: { type: "boolean" },
  env: { type: "string" },
  "persist-to": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Reads `<customer id> [--remote | --persist-to DIR] [--env E]`: the customer and where its database
 * is, or undefined after printing the usage for --help.
 */
export function customerCommand(usage: string): { id: number; where: string[] } | undefined {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: TARGET_OPTIONS });
  if (values.help) return void console.log(usage);
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isSafeInteger(id) || id < 1) throw new CommandError(usage);
  return { id, where: target(values) };
}

/** The environments wrangler.toml declares ([env.staging] …). */
function environments(): string[] {
  const config = readFileSync(fileURLToPath(new URL("../wrangler.toml", import.meta.url)), "utf8");
  return [...config.matchAll(/^\[env\.([\w-]+)\]$/gm)].map((match) => match[1]!);
}

/**
 * `--local` (the default) or `--remote` for `wrangler d1 execute`, with `--env E` for an environment
 * of wrangler.toml (staging), which has a local database of its own too. The local database is the one
 * of `npm run dev`: `--persist-to DIR`, or `PERSIST_TO` as `npm run dev` takes it. An environment that
 * wrangler.toml does not declare is refused: wrangler would fall back to the top level's database.
 */
export function target(options: { remote?: boolean | undefined; env?: string | undefined; "persist-to"?: string | undefined }): string[] {
  const env = options.env === undefined ? [] : ["--env", options.env];
  if (options.env !== undefined && !environments().includes(options.env)) {
    throw new CommandError(`--env ${options.env}: wrangler.toml declares no such environment (it has: ${environments().join(", ")})`);
  }
  if (options.remote) return ["--remote", ...env];
  const persistTo = options["persist-to"] ?? process.env.PERSIST_TO;
  return ["--local", ...env, ...(persistTo ? ["--persist-to", persistTo] : [])];
}

/** Runs one SQL text against the DB binding and returns the rows of its last statement. */
export function query<Row>(sql: string, where: string[]): Row[] {
  const output = wrangler(["d1", "execute", "DB", ...where, "--json", "--command", sql]);
  const results = JSON.parse(output) as { results: Row[] }[];
  return results.at(-1)?.results ?? [];
}

/** An SQL string literal (wrangler's --command takes no bound parameters). */
export const literal = (value: string | null) => (value === null ? "NULL" : `'${value.replaceAll("'", "''")}'`);
