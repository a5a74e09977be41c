import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "./client";
import { prepare, statement } from "./raw";
import { decodeChange } from "./rows";
import { changeCounts, customerChanges, customers } from "./schema";
import { inFeed, inTrail, type Viewer, visibleCustomer } from "./visibility";

// The audit trail of a customer and the change feed of all customers: the entries a viewer is shown
// (src/db/visibility.ts), in the order of their global id, which D1's serialised writes assign in commit order.
// The id is a position the Worker seals into cursors; a consumer never sees it.

/** The entries the feed and a trail show a viewer: all of them if it sees hidden customers (src/db/visibility.ts). */
const feedShows = ({ seesHidden }: Pick<Viewer, "seesHidden">) =>
  seesHidden ? undefined : sql`${inFeed(customerChanges.hidden_before, customerChanges.hidden_after)}`;
const trailShows = ({ seesHidden }: Pick<Viewer, "seesHidden">) => (seesHidden ? undefined : sql`${inTrail(customerChanges.hidden_after)}`);

/** A page of a customer's trail, newest first, by its index whatever the planner statistics. */
const trailEntries = (id: number, viewer: Viewer, limit: number, offset: number, before?: number) =>
  statement(sql`SELECT * FROM ${customerChanges} INDEXED BY "customer_changes_customer"
    WHERE ${and(eq(customerChanges.customer_id, id), before === undefined ? undefined : lt(customerChanges.id, before), trailShows(viewer))}
    ORDER BY ${customerChanges.id} DESC LIMIT ${limit} OFFSET ${offset}`);
const visible = (id: number, viewer: Viewer) =>
  statement(sql`SELECT ${customers.id} FROM ${customers} WHERE ${visibleCustomer(id, viewer)}`);

/** A page of a visible customer's trail, newest first, and its length as this viewer counts it: one round trip. */
export async function listChanges(db: Db, id: number, viewer: Viewer, page: { limit: number; offset: number }) {
  const d1 = db.$client;
  // The trail's length from its counters (kept by triggers), not by counting the entries.
  const count = statement(
    sql`SELECT ${viewer.seesHidden ? changeCounts.n : changeCounts.shown} AS count FROM ${changeCounts} WHERE ${eq(changeCounts.customer_id, id)}`,
  );
  const [found, counted, entries] = await d1.batch<Record<string, unknown>>(
    [visible(id, viewer), count, trailEntries(id, viewer, page.limit, page.offset)].map((query) => prepare(d1, query)),
  );
  if (!found!.results.length) return undefined;
  return { count: Number(counted!.results[0]?.count ?? 0), entries: entries!.results.map(decodeChange) };
}

/**
 * A page of a visible customer's trail in cursor mode: the `limit` entries before the position
 * `before` (from the newest if undefined), and whether older ones remain. One round trip.
 */
export async function trailPage(db: Db, id: number, viewer: Viewer, before: number | undefined, limit: number) {
  const d1 = db.$client;
  const [found, entries] = await d1.batch<Record<string, unknown>>(
    [visible(id, viewer), trailEntries(id, viewer, limit + 1, 0, before)].map((query) => prepare(d1, query)),
  );
  if (!found!.results.length) return undefined;
  const rows = entries!.results.map(decodeChange);
  return { entries: rows.slice(0, limit), more: rows.length > limit };
}

/**
 * The change feed: the entries after the position `after`, oldest first, that this viewer is shown.
 * A reader that resumes after the last position it got misses none. Reads O(limit) rows of the
 * primary key, plus the entries it is not shown.
 */
export function changeFeed(db: Db, viewer: Viewer, after: number, limit: number) {
  return db
    .select()
    .from(customerChanges)
    .where(and(gt(customerChanges.id, after), feedShows(viewer)))
    .orderBy(asc(customerChanges.id))
    .limit(limit);
}
