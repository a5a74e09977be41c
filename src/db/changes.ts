import { count, desc, eq } from "drizzle-orm";
import type { Db } from "./client";
import type { Page } from "./customers";
import { customerChanges, customers } from "./schema";
import { type Viewer, visibleCustomer } from "./visibility";

/** A page of a visible customer's audit trail, newest first, and its length: one round trip. */
export async function listChanges(db: Db, id: number, viewer: Viewer, page: Page) {
  const own = eq(customerChanges.customer_id, id);
  const [visible, [total], changes] = await db.batch([
    db.select({ id: customers.id }).from(customers).where(visibleCustomer(id, viewer)),
    db.select({ count: count() }).from(customerChanges).where(own),
    db.select().from(customerChanges).where(own).orderBy(desc(customerChanges.id)).limit(page.limit).offset(page.offset),
  ]);
  if (!visible.length) return undefined;
  return { count: total?.count ?? 0, changes };
}
