import { and, asc, count, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "./client";
import { columns } from "./rows";
import { type Customer, customerCounts, customers } from "./schema";
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

const COUNTED: readonly (keyof CustomerFilters)[] = ["status", "type", "water_database"];

/**
 * The number of customers a list's filters select for this viewer: from the counters (a row or two)
 * when there is no filter or one equality filter they keep, else counted through the filter's index.
 */
function countOf(db: Db, viewer: Viewer, filters: CustomerFilters, condition: SQL | undefined) {
  const given = Object.entries(filters).filter(([, value]) => value !== undefined) as [keyof CustomerFilters, number][];
  const [dimension, value] =
    given.length === 0 ? (["all", 0] as const) : given.length === 1 && COUNTED.includes(given[0]![0]) ? given[0]! : [];
  if (dimension === undefined) return db.select({ count: count() }).from(customers).where(condition);
  return db
    .select({ count: sql<number>`coalesce(sum(${customerCounts.n}), 0)` })
    .from(customerCounts)
    .where(
      and(
        eq(customerCounts.dimension, dimension as "all"),
        eq(customerCounts.value, value!),
        viewer.seesHidden ? undefined : eq(customerCounts.hidden, false),
      ),
    );
}

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
    countOf(db, viewer, filters, condition),
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
