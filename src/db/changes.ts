import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import { batch, type Db, query } from "./engine/database";
import { decodeChange } from "./engine/rows";
import { changeCounts, customerChanges, customers } from "./schema";
import { feedShows, trailLength, trailShows, type Viewer, visibleCustomer } from "./visibility";

// The audit trail of a customer and the change feed of all customers: the entries a viewer is shown
// (src/db/visibility.ts), in the order of their global id, which D1's serialised writes assign in
// commit order. The id is a position the Worker seals into cursors; a consumer never sees it.

/** A page of a customer's trail, newest first, by its index whatever the planner statistics. */
const trailEntries = (id: number, viewer: Viewer, limit: number, offset: number, before?: number) =>
  sql`SELECT * FROM ${customerChanges} INDEXED BY "customer_changes_customer"
    WHERE ${and(eq(customerChanges.customer_id, id), before === undefined ? undefined : lt(customerChanges.id, before), trailShows(viewer))}
    ORDER BY ${customerChanges.id} DESC LIMIT ${limit} OFFSET ${offset}`;

const visible = (id: number, viewer: Viewer) => sql`SELECT ${customers.id} FROM ${customers} WHERE ${visibleCustomer(id, viewer)}`;

/** A page of a visible customer's trail, newest first, and its length as this viewer counts it: one round trip. */
export async function customerTrail(db: Db, id: number, viewer: Viewer, page: { limit: number; offset: number }) {
  // The trail's length from its counters (kept by triggers), not by counting the entries.
  const count = sql`SELECT ${trailLength(viewer)} AS count FROM ${changeCounts} WHERE ${eq(changeCounts.customer_id, id)}`;
  const [found, counted, entries] = await batch(db, [visible(id, viewer), count, trailEntries(id, viewer, page.limit, page.offset)]);
  if (!found!.length) return undefined;
  return { count: Number(counted![0]?.count ?? 0), entries: entries!.map(decodeChange) };
}

/**
 * A page of a visible customer's trail in cursor mode: the `limit` entries before the position
 * `before` (from the newest if undefined), and whether older ones remain. One round trip.
 */
export async function trailPage(db: Db, id: number, viewer: Viewer, before: number | undefined, limit: number) {
  const [found, entries] = await batch(db, [visible(id, viewer), trailEntries(id, viewer, limit + 1, 0, before)]);
  if (!found!.length) return undefined;
  const rows = entries!.map(decodeChange);
  return { entries: rows.slice(0, limit), more: rows.length > limit };
}

/**
 * The change feed: the entries after the position `after`, oldest first, that this viewer is shown.
 * A reader that resumes after the last position it got misses none. Reads O(limit) rows of the
 * primary key, plus the entries it is not shown.
 */
export async function changeFeed(db: Db, viewer: Viewer, after: number, limit: number) {
  const rows = await query(
    db,
    sql`SELECT * FROM ${customerChanges} WHERE ${and(gt(customerChanges.id, after), feedShows(viewer))}
      ORDER BY ${asc(customerChanges.id)} LIMIT ${limit}`,
  );
  return rows.map(decodeChange);
}
