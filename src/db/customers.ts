import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "./client";
import type { Ordering } from "./orderings";
import { prepare, statement } from "./raw";
import { columns, decodeCustomer } from "./rows";
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

export type Page = { limit: number; offset: number };

const COUNTED: readonly (keyof CustomerFilters)[] = ["status", "type", "water_database"];

/**
 * The number of customers a list's filters select for this viewer: from the counters (a row or two)
 * when there is no filter or one equality filter they keep, else counted through the filter's index.
 */
function countOf(db: Db, viewer: Viewer, filters: CustomerFilters, condition: SQL | undefined, source: SQL) {
  const given = Object.entries(filters).filter(([, value]) => value !== undefined) as [keyof CustomerFilters, number][];
  const [dimension, value] =
    given.length === 0 ? (["all", 0] as const) : given.length === 1 && COUNTED.includes(given[0]![0]) ? given[0]! : [];
  if (dimension === undefined) return statement(sql`SELECT count(*) AS count FROM ${source} WHERE ${condition ?? sql`1`}`);
  return db
    .select({ count: sql<number>`coalesce(sum(${customerCounts.n}), 0)`.as("count") })
    .from(customerCounts)
    .where(
      and(
        eq(customerCounts.dimension, dimension as "all"),
        eq(customerCounts.value, value!),
        viewer.seesHidden ? undefined : eq(customerCounts.hidden, false),
      ),
    )
    .toSQL();
}

/** The customers a list selects for this viewer: the visible ones that pass every given filter. */
export function listCondition(viewer: Viewer, filters: CustomerFilters) {
  return and(
    visibleTo(viewer),
    filters.customer_number === undefined ? undefined : eq(customers.customer_number, filters.customer_number),
    filters.status === undefined ? undefined : eq(customers.status, filters.status),
    filters.type === undefined ? undefined : eq(customers.type, filters.type),
    filters.water_database === undefined ? undefined : eq(customers.water_database, filters.water_database),
    filters.modified__gte === undefined ? undefined : gte(customers.modified, filters.modified__gte),
    filters.modified__lt === undefined ? undefined : lt(customers.modified, filters.modified__lt),
  );
}

/** The column an ordering sorts by, and whether it is descending. */
export const sortOf = (orderby: Ordering) => ({
  column: columns[orderby.replace("-", "") as "id" | "modified" | "customer_number"],
  descending: orderby.startsWith("-"),
});

/**
 * Where a list reads from. A date range ordered by id or customer number reads the range of a date
 * index (forced: the planner would rather walk the ordering's index, through the whole table when few
 * match) and keeps only the page's rows in its sort; ordered by date, it walks that range in order.
 */
function sourceOf(filters: CustomerFilters, orderby: Ordering): SQL {
  const ranged = filters.modified__gte !== undefined || filters.modified__lt !== undefined;
  if (!ranged || orderby.endsWith("modified") || filters.customer_number !== undefined) return sql`${customers}`;
  const equality = COUNTED.find((filter) => filters[filter] !== undefined);
  return sql`${customers} INDEXED BY ${sql.identifier(equality ? `customers_${equality}_modified` : "customers_modified_covering")}`;
}

/** A page of the customers this viewer may see, and how many there are: one round trip. */
export async function listCustomers(db: Db, viewer: Viewer, filters: CustomerFilters, orderby: Ordering, page: Page) {
  const condition = listCondition(viewer, filters);
  const source = sourceOf(filters, orderby);
  const { column, descending } = sortOf(orderby);
  const direction = sql.raw(descending ? "DESC" : "ASC");
  const d1 = db.$client;
  const [counted, rows] = await d1.batch<Record<string, unknown>>(
    [
      countOf(db, viewer, filters, condition, source),
      // The id breaks ties, so that pages neither repeat nor skip a customer.
      statement(sql`SELECT ${customers}.* FROM ${source} WHERE ${condition ?? sql`1`}
        ORDER BY ${column} ${direction}, ${customers.id} ${direction} LIMIT ${page.limit} OFFSET ${page.offset}`),
    ].map((query) => prepare(d1, query)),
  );
  return { count: Number(counted!.results[0]?.count ?? 0), customers: rows!.results.map(decodeCustomer) };
}
