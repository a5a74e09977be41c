import { and, asc, desc, eq, gt, lt, not } from "drizzle-orm";
import type { Db } from "./client";
import type { Page } from "./customers";
import { changeCounts, customerChanges, customers } from "./schema";
import { type Viewer, visibleCustomer } from "./visibility";

/** A page of a visible customer's audit trail, newest first, and its length: one round trip. */
export async function listChanges(db: Db, id: number, viewer: Viewer, page: Page) {
  const own = eq(customerChanges.customer_id, id);
  const [visible, [total], changes] = await db.batch([
    db.select({ id: customers.id }).from(customers).where(visibleCustomer(id, viewer)),
    // The trail's length from its counter (kept by triggers), not by counting the entries.
    db.select({ count: changeCounts.n }).from(changeCounts).where(eq(changeCounts.customer_id, id)),
    db.select().from(customerChanges).where(own).orderBy(desc(customerChanges.id)).limit(page.limit).offset(page.offset),
  ]);
  if (!visible.length) return undefined;
  return { count: total?.count ?? 0, changes };
}

/**
 * A page of a visible customer's audit trail in cursor mode: the `limit` entries older than `before`
 * (from the newest if undefined), by the trail's index, and whether older ones remain. One round trip.
 */
export async function trailPage(db: Db, id: number, viewer: Viewer, before: number | undefined, limit: number) {
  const [visible, changes] = await db.batch([
    db.select({ id: customers.id }).from(customers).where(visibleCustomer(id, viewer)),
    db
      .select()
      .from(customerChanges)
      .where(and(eq(customerChanges.customer_id, id), before === undefined ? undefined : lt(customerChanges.id, before)))
      .orderBy(desc(customerChanges.id))
      .limit(limit + 1),
  ]);
  if (!visible.length) return undefined;
  return { changes: changes.slice(0, limit), more: changes.length > limit };
}

/**
 * The change feed: audit entries after `after`, oldest first, by their id (which the atomic batch of
 * each write assigns in commit order, so a reader that resumes after the last id it saw misses none).
 * Entries of customers hidden from the viewer before and after the write are left out. Reads O(limit)
 * rows of the primary key.
 */
export function changeFeed(db: Db, { seesHidden }: Pick<Viewer, "seesHidden">, after: number, limit: number) {
  const hiddenThroughout = and(eq(customerChanges.hidden_before, true), eq(customerChanges.hidden_after, true));
  return db
    .select()
    .from(customerChanges)
    .where(and(gt(customerChanges.id, after), seesHidden ? undefined : not(hiddenThroughout!)))
    .orderBy(asc(customerChanges.id))
    .limit(limit);
}
