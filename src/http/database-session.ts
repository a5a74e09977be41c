import { createMiddleware } from "hono/factory";
import { openDatabase } from "../db/engine/database";
import type { AppEnv } from "../env";

const BOOKMARK_HEADER = "X-D1-Bookmark";
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/**
 * Gives the request its Drizzle client on a D1 session (docs/read-replication.md): a request that
 * sends back the `X-D1-Bookmark` of an earlier response reads data at least that fresh, even from a
 * read replica; without one it reads from any replica. Every response carries the session's bookmark
 * and `Server-Timing: db;desc="round-trips=<n>";dur=<ms>`.
 */
export const database = createMiddleware<AppEnv>(async function database(c, next) {
  const bookmark = c.req.header(BOOKMARK_HEADER);
  const session = c.env.DB.withSession(bookmark && BOOKMARK.test(bookmark) ? bookmark : "first-unconstrained");
  const db = openDatabase(session, Number(c.env.D1_TIMEOUT_MS));
  c.set("db", db);
  const { meter } = db;
  await next();
  c.res.headers.set("Server-Timing", `db;desc="round-trips=${meter.roundTrips}";dur=${meter.durationMs.toFixed(1)}`);
  const latest = session.getBookmark();
  if (latest) c.res.headers.set(BOOKMARK_HEADER, latest);
});
