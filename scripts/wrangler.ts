// Runs the project's own wrangler, as the npm scripts do.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));

export function wrangler(args: string[]): string {
  const result = spawnSync(process.execPath, [WRANGLER, ...args], {
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    process.stderr.write(result.stderr || result.stdout);
    throw new Error(`wrangler ${args[0]} ${args[1] ?? ""} failed`);
  }
  return result.stdout;
}

/**
 * `--local` (the default) or `--remote` for `wrangler d1 execute`. The local database is the one of
 * `npm run dev`: `--persist-to DIR`, or `PERSIST_TO` as `npm run dev` takes it.
 */
export function target(options: { remote?: boolean; env?: string; "persist-to"?: string }): string[] {
  // --env names a wrangler.toml environment (staging): its own deployed database.
  if (options.remote) return options.env ? ["--remote", "--env", options.env] : ["--remote"];
  const persistTo = options["persist-to"] ?? process.env.PERSIST_TO;
  return persistTo ? ["--local", "--persist-to", persistTo] : ["--local"];
}

/** Runs one SQL text against the DB binding and returns the rows of its last statement. */
export function query<Row>(sql: string, where: string[]): Row[] {
  const output = wrangler(["d1", "execute", "DB", ...where, "--json", "--command", sql]);
  const results = JSON.parse(output) as { results: Row[] }[];
  return results.at(-1)?.results ?? [];
}

/** An SQL string literal (wrangler's --command takes no bound parameters). */
export const literal = (value: string | null) => (value === null ? "NULL" : `'${value.replaceAll("'", "''")}'`);
