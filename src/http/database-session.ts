import { createMiddleware } from "hono/factory";
import * as z from "zod/mini";
import { openDatabase } from "../db/engine/database";
import type { AppEnv } from "../env";
import { CURSOR_LIFETIME_MS, sealsFor } from "./seal";

const BOOKMARK_HEADER = "X-D1-Bookmark";

/**
 * D1's bookmark, a position in the database's history, moves with every write, a hidden customer's
 * included: a client gets it sealed (src/http/seal.ts), so that it can send it back but can neither read
 * it nor compare two of them. It keeps as long as a cursor.
 */
const bookmarks = (env: AppEnv["Bindings"]) => sealsFor(env, "bookmark", z.string(), CURSOR_LIFETIME_MS);

/**
 * Gives the request its D1 session (docs/read-replication.md): a request that sends back the
 * `X-D1-Bookmark` of an earlier answer reads data at least that fresh, even from a read replica;
 * without one (or with one that does not open) it reads from any replica. An authenticated answer
 * carries the session's bookmark, sealed; every answer carries
 * `Server-Timing: db;desc="round-trips=<n>";dur=<ms>`.
 */
export const database = createMiddleware<AppEnv>(async function database(c, next) {
  const sent = c.req.header(BOOKMARK_HEADER);
  const bookmark = sent === undefined ? undefined : await bookmarks(c.env).open(sent);
  const session = c.env.DB.withSession(bookmark ?? "first-unconstrained");
  const db = openDatabase(session, Number(c.env.D1_TIMEOUT_MS));
  c.set("db", db);
  await next();
  const { meter } = db;
  c.res.headers.set("Server-Timing", `db;desc="round-trips=${meter.roundTrips}";dur=${meter.durationMs.toFixed(1)}`);
  const latest = session.getBookmark();
  if (latest && c.var.consumer) c.res.headers.set(BOOKMARK_HEADER, await bookmarks(c.env).seal(latest));
});
