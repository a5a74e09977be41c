// The local D1 of `npm run dev`: where it lives, and whether a dev server holds it.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root } from "./dev-server";

/** The folder of the local database: `given` (a --persist-to), else PERSIST_TO as `npm run dev` takes it, else .wrangler/state. */
export const persistDir = (given?: string) => path.resolve(root, given ?? process.env.PERSIST_TO ?? ".wrangler/state");

/** Where wrangler (and Miniflare's `d1Persist`) keeps the local D1 databases of a persist folder. */
export const d1Folder = (persist: string) => path.join(persist, "v3", "d1");

/** The local D1's database files (none before the first `npm run dev`). */
export function databaseFiles(persist: string): string[] {
  const folder = path.join(d1Folder(persist), "miniflare-D1DatabaseObject");
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite")
    .map((name) => path.join(folder, name));
}

const lockOf = (persist: string) => path.join(persist, "dev-server.pid");

/** The process id of the dev server that serves this database, if one runs. */
export function holder(persist: string): number | undefined {
  const lock = lockOf(persist);
  if (!existsSync(lock)) return undefined;
  const pid = Number(readFileSync(lock, "utf8"));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Marks the database as served by this process until it exits. */
export function claimDatabase(persist: string) {
  const lock = lockOf(persist);
  mkdirSync(persist, { recursive: true });
  writeFileSync(lock, String(process.pid));
  process.on("exit", () => rmSync(lock, { force: true }));
}
