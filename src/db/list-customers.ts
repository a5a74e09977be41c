import { and, eq, getTableColumns, gt, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import { batch, type Db, query } from "./engine/database";
import { decodeCustomer } from "./engine/rows";
import {
  DIMENSIONS,
  type Dimension,
  ENUMERATED,
  FILTERS,
  type FilterName,
  type FilterValues,
  familyIndex,
  OPEN,
  type Ordering,
  type SortColumn,
  sortColumnOf,
  valuesOf,
} from "./filters";
import { type Customer, customerChanges, customerCounts, customers } from "./schema";
import { countsShown, type Viewer, visibleCustomer, visibleTo } from "./visibility";

// A list of customers in any combination of filters and any ordering, read through an index that
// delivers it in order, so that a page reads about `limit` rows (plus `offset`) whatever the table's
// size. A dimension the list does not filter by, but that leads the index, is merged value by value:
// SQLite merges compound SELECTs in order and stops at the LIMIT. Every arm names its index, so no
// planner statistics can turn a page into a scan.

type ListQuery = { viewer: Viewer; filters: FilterValues; ordering: Ordering };
/** Where a cursor-mode page goes on: after the customer with this sort key (null for `id`) and id. */
export type Position = { key: string | null; id: number };

const columns = getTableColumns(customers);
/** D1 allows five terms in a compound SELECT: wider merges are nested. */
const MAX_COMPOUND_TERMS = 5;

const given = (filters: FilterValues) => (Object.keys(filters) as FilterName[]).filter((name) => filters[name] !== undefined);
const ranged = (filters: FilterValues) => given(filters).some((name) => ["from", "before"].includes(FILTERS[name].match));
/** A list that names its customers (by number, or by up to 100 ids) reads them by key, whatever the other filters. */
const byKey = (filters: FilterValues) => filters.customer_number !== undefined || filters.id__in !== undefined;

/** A filter's condition on its column (the ids of `id__in` are where the arms read: `sourceOf`). */
function matchOf(name: Exclude<FilterName, "id__in">, value: NonNullable<FilterValues[FilterName]>): SQL {
  const { column, match } = FILTERS[name];
  return sql`${columns[column]} ${sql.raw(match === "equals" ? "=" : match === "from" ? ">=" : "<")} ${value}`;
}

/** The conditions of the filters and of the viewer's GDPR view, common to every arm. */
function conditions({ viewer, filters }: ListQuery): SQL[] {
  const filtering = given(filters).filter((name): name is Exclude<FilterName, "id__in"> => name !== "id__in");
  return [visibleTo(viewer), ...filtering.map((name) => matchOf(name, filters[name]!))];
}

/**
 * Where the arms read: the index the plan names; for `id__in`, the listed ids, each customer by its
 * rowid. The ids travel as one JSON array (one bound parameter for up to 100). CROSS JOIN reads them
 * first, and NOT INDEXED leaves the rowid as the only way to find each customer: with statistics of a
 * small table, SQLite would otherwise scan an index for every id. The subquery names its one column,
 * so that no column of json_each (`id`, `type`, …) shadows the customers'.
 */
function sourceOf({ filters }: ListQuery, index: string | undefined): SQL {
  if (filters.id__in !== undefined) {
    const listed = sql`(SELECT value AS listed_id FROM json_each(${JSON.stringify(filters.id__in)}))`;
    return sql`${listed} CROSS JOIN ${customers} NOT INDEXED ON ${customers.id} = listed_id`;
  }
  return index === undefined ? sql`${customers}` : sql`${customers} INDEXED BY ${sql.identifier(index)}`;
}

/** The index an arm reads, and the conditions that set each enumerated dimension the list leaves open. */
function plan({ filters, ordering }: ListQuery): { index: string | undefined; arms: SQL[][] } {
  // Up to 100 ids are read by primary key (sourceOf), then sorted.
  if (filters.id__in !== undefined) return { index: undefined, arms: [[]] };
  if (filters.customer_number !== undefined) return { index: "customers_customer_number_unique", arms: [[]] };
  const sort = sortColumnOf(ordering);
  // A date range in another order than `modified` reads its matches in date order and sorts them.
  const read: SortColumn = ranged(filters) ? "modified" : sort;
  const filtered = DIMENSIONS.filter((name) => filters[name] !== undefined);
  if (filtered.length === 0) return { index: read === "modified" ? "customers_modified_covering" : bareIndex[read], arms: [[]] };
  const family = OPEN.filter((name) => filtered.includes(name));
  const open = ENUMERATED.filter((name) => !filtered.includes(name));
  const arms = open.reduce<SQL[][]>(
    (combinations, name) => combinations.flatMap((arm) => [null, ...valuesOf(name)].map((value) => [...arm, dimensionIs(name, value)])),
    [[]],
  );
  return { index: familyIndex(family, read).name, arms };
}
// Without dimensions: the table itself (by rowid) or the customer number's own index.
const bareIndex: Record<Exclude<SortColumn, "modified">, string | undefined> = {
  id: undefined,
  customer_number: "customers_customer_number_unique",
};
const dimensionIs = (name: Dimension, value: number | null) => (value === null ? isNull(columns[name]) : eq(columns[name], value));

/**
 * The arms' rows: one SELECT a combination of open dimensions and keyset segment, each through its
 * index; `columns` is the customer's for a page and `count(*)` for a count (which then reads no table row the
 * index covers).
 */
function armsOf(query: ListQuery, segments: SQL[] = [sql`1`], columns = sql`${customers}.*`): SQL[] {
  const { index, arms } = plan(query);
  const source = sourceOf(query, index);
  const common = conditions(query);
  return arms.flatMap((arm) => segments.map((segment) => sql`SELECT ${columns} FROM ${source} WHERE ${and(...common, ...arm, segment)}`));
}

/** The sort of an ordering: its column, then the id, both in its direction. */
function orderOf(ordering: Ordering): SQL {
  const direction = sql.raw(ordering.startsWith("-") ? "DESC" : "ASC");
  const column = sortColumnOf(ordering);
  return column === "id" ? sql`"id" ${direction}` : sql`${sql.identifier(column)} ${direction}, "id" ${direction}`;
}

/** The arms merged in order (nested where there are more than D1 allows in one compound SELECT). */
function merged(arms: SQL[], order: SQL): SQL {
  if (arms.length <= MAX_COMPOUND_TERMS) return sql.join(arms, sql` UNION ALL `);
  const size = Math.ceil(arms.length / MAX_COMPOUND_TERMS);
  const groups = Array.from({ length: Math.ceil(arms.length / size) }, (_, i) => arms.slice(i * size, (i + 1) * size));
  return sql.join(
    groups.map((group) => (group.length === 1 ? group[0]! : sql`SELECT * FROM (${merged(group, order)} ORDER BY ${order})`)),
    sql` UNION ALL `,
  );
}

const pageOf = (arms: SQL[], ordering: Ordering, limit: number, offset: number) =>
  sql`${merged(arms, orderOf(ordering))} ORDER BY ${orderOf(ordering)} LIMIT ${limit} OFFSET ${offset}`;

/**
 * How many customers the list selects: from the counters (a row per combination of dimensions) when
 * it filters by dimensions only, else by counting each arm's matches in its index.
 */
function countOf(query: ListQuery) {
  const { filters, viewer } = query;
  if (byKey(filters) || ranged(filters)) {
    const counts = armsOf(query, undefined, sql`count(*)`).map((arm) => sql`(${arm})`);
    return sql`SELECT ${sql.join(counts, sql` + `)} AS count`;
  }
  // A null dimension is counted under 0, which no filter value below 1 may select.
  const matches = DIMENSIONS.filter((name) => filters[name] !== undefined).map((name) =>
    and(eq(customerCounts[name], filters[name]!), gt(customerCounts[name], 0)),
  );
  return sql`SELECT coalesce(sum(${customerCounts.n}), 0) AS count FROM ${customerCounts} WHERE ${and(sql`1`, ...matches, countsShown(viewer))}`;
}

/** A page of the customers this viewer may see, and how many there are: one round trip. */
export async function listCustomers(db: Db, query: ListQuery, { limit, offset }: { limit: number; offset: number }) {
  const [counted, rows] = await batch(db, [countOf(query), pageOf(armsOf(query), query.ordering, limit, offset)]);
  return { count: Number(counted![0]!.count), customers: rows!.map(decodeCustomer) };
}

/**
 * Whether cursor mode refuses the query: a date range in another order than `modified` cannot be
 * paged in O(limit) (its matches would be read and sorted again on every page).
 */
export const cursorModeRefuses = ({ filters, ordering }: Pick<ListQuery, "filters" | "ordering">) =>
  ranged(filters) && sortColumnOf(ordering) !== "modified" && !byKey(filters);

/** The keyset segments after a position, in the ordering: each is one index range. */
function segmentsAfter(ordering: Ordering, after: Position | null): SQL[] {
  if (!after) return [sql`1`];
  const descending = ordering.startsWith("-");
  const beyond = sql.raw(descending ? "<" : ">");
  const afterId = sql`${customers.id} ${beyond} ${after.id}`;
  const column = sortColumnOf(ordering);
  if (column === "id") return [afterId];
  const key = columns[column];
  if (column === "modified") return [sql`${key} = ${after.key} AND ${afterId}`, sql`${key} ${beyond} ${after.key}`];
  // Customer numbers are unique; the customers without one tie (NULL sorts first) and go by id.
  if (after.key === null) return descending ? [sql`${isNull(key)} AND ${afterId}`] : [sql`${isNull(key)} AND ${afterId}`, isNotNull(key)];
  return descending ? [sql`${key} < ${after.key}`, isNull(key)] : [sql`${key} > ${after.key}`];
}

/**
 * A page of cursor mode: the `limit` customers after `after`, and the position after them when more
 * follow. The first page also names the latest audit entry (read in the same batch, so the same
 * snapshot): the change feed from there reports every change made while the pages are read.
 */
export async function cursorPage(db: Db, query: ListQuery, after: Position | null, limit: number) {
  const page = pageOf(armsOf(query, segmentsAfter(query.ordering, after)), query.ordering, limit + 1, 0);
  const latest = sql`SELECT coalesce(max(${customerChanges.id}), 0) AS id FROM ${customerChanges}`;
  const results = await batch(db, after ? [page] : [page, latest]);
  const rows = results[0]!.map(decodeCustomer);
  const served = rows.slice(0, limit);
  const last = served.at(-1);
  const column = sortColumnOf(query.ordering);
  const next = rows.length > limit && last ? { key: column === "id" ? null : (last[column] as string | null), id: last.id } : null;
  return { customers: served, next, changesAfter: after ? undefined : Number(results[1]![0]!.id) };
}

/** The customer, if it exists for this viewer. */
export async function findCustomer(db: Db, id: number, viewer: Viewer): Promise<Customer | undefined> {
  const [row] = await query(db, sql`SELECT * FROM ${customers} WHERE ${visibleCustomer(id, viewer)}`);
  return row && decodeCustomer(row);
}
