import { and, asc, count, desc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "./client";
import { columns } from "./rows";
import { type Customer, customers } from "./schema";
import { type Viewer, visibleCustomer, visibleTo } from "./visibility";

// Reads of customers: one, or a page of them.

/** The customer, if it exists for this viewer. */
export async function findCustomer(db: Db, id: number, viewer: Viewer): Promise<Customer | undefined> {
  const [customer] = await db.select().from(customers).where(visibleCustomer(id, viewer));
  return customer;
}

export type CustomerFilters = {
  customer_number?: string | undefined;
  status?: number | undefined;
  type?: number | undefined;
  water_database?: number | undefined;
  modified__gte?: string | undefined;
  modified__lt?: string | undefined;
};

export const ORDERINGS = ["id", "-id", "modified", "-modified", "customer_number", "-customer_number"] as const;
export type Ordering = (typeof ORDERINGS)[number];

export type Page = { limit: number; offset: number };

/** A page of the customers this viewer may see, and how many there are: one round trip. */
export async function listCustomers(db: Db, viewer: Viewer, filters: CustomerFilters, orderby: Ordering, page: Page) {
  const condition = and(
    visibleTo(viewer),
    filters.customer_number === undefined ? undefined : eq(customers.customer_number, filters.customer_number),
    filters.status === undefined ? undefined : eq(customers.status, filters.status),
    filters.type === undefined ? undefined : eq(customers.type, filters.type),
    filters.water_database === undefined ? undefined : eq(customers.water_database, filters.water_database),
    filters.modified__gte === undefined ? undefined : gte(customers.modified, filters.modified__gte),
    filters.modified__lt === undefined ? undefined : lt(customers.modified, filters.modified__lt),
  );
  const column = columns[orderby.replace("-", "") as "id" | "modified" | "customer_number"];
  const direction = orderby.startsWith("-") ? desc : asc;
  const [[total], rows] = await db.batch([
    db.select({ count: count() }).from(customers).where(condition),
    db
      .select()
      .from(customers)
      .where(condition)
      // The id breaks ties, so that pages neither repeat nor skip a customer.
      .orderBy(direction(column), direction(customers.id))
      .limit(page.limit)
      .offset(page.offset),
  ]);
  return { count: total?.count ?? 0, customers: rows };
}
