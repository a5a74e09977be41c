/**
 * The list's filters, declared once. This table feeds the query's validation (`input`), the SQL
 * conditions (`column`, `match`), the counters and indexes (`dimension`), the OpenAPI parameters and
 * the README's filter table (`description`); test/customers/filters.test.ts proves each one filters.
 */
export type Filter = {
  column: "id" | "customer_number" | "status" | "type" | "water_database" | "modified";
  /** `equals` the value, `in` a list of values, or a range on the column: `from` it (inclusive) or `before` it. */
  match: "equals" | "in" | "from" | "before";
  input: { kind: "text"; maxLength: number } | { kind: "id" } | { kind: "ids"; max: number } | { kind: "datetime" };
  /**
   * A dimension: a reference with few values, counted per combination (customer_counts) and leading
   * the list's indexes, so that any combination of dimensions pages in O(limit). `values` lists the
   * ids the reference data has (a migration adds more, and a test holds the two together): a list
   * that does not filter by such a dimension merges one index range per value instead of one index
   * per combination, which every write would pay for.
   */
  dimension?: { values?: readonly number[] };
  description: string;
};

export const FILTERS = {
  id__in: {
    column: "id",
    match: "in",
    input: { kind: "ids", max: 100 },
    description: "Only the customers with these ids, comma-separated (1 to 100): those that exist and this consumer may see.",
  },
  customer_number: {
    column: "customer_number",
    match: "equals",
    input: { kind: "text", maxLength: 50 },
    description: "Only the customer with this customer number.",
  },
  status: {
    column: "status",
    match: "equals",
    input: { kind: "id" },
    dimension: { values: [1, 2] },
    description: "Only customers with this status id.",
  },
  type: {
    column: "type",
    match: "equals",
    input: { kind: "id" },
    dimension: { values: [1, 2] },
    description: "Only customers with this type id.",
  },
  water_database: {
    column: "water_database",
    match: "equals",
    input: { kind: "id" },
    dimension: {},
    description: "Only customers of this water database id.",
  },
  modified__gte: {
    column: "modified",
    match: "from",
    input: { kind: "datetime" },
    description: "Only customers modified at or after this time (ISO 8601).",
  },
  modified__lt: {
    column: "modified",
    match: "before",
    input: { kind: "datetime" },
    description: "Only customers modified before this time (ISO 8601).",
  },
} as const satisfies Record<string, Filter>;

export type FilterName = keyof typeof FILTERS;
type ValueOf<Kind> = Kind extends "id" ? number : Kind extends "ids" ? number[] : string;
export type FilterValues = { [name in FilterName]?: ValueOf<(typeof FILTERS)[name]["input"]["kind"]> };

export type Dimension = { [name in FilterName]: (typeof FILTERS)[name] extends { dimension: object } ? name : never }[FilterName];
export const DIMENSIONS = (Object.keys(FILTERS) as FilterName[]).filter((name): name is Dimension => "dimension" in FILTERS[name]);

/** Dimensions with a known, short list of values (merged per value), and the others (leading an index). */
const enumerated = (name: Dimension) => (FILTERS[name].dimension as Filter["dimension"])?.values !== undefined;
export const ENUMERATED = DIMENSIONS.filter(enumerated);
export const OPEN = DIMENSIONS.filter((name) => !enumerated(name));
export const valuesOf = (name: Dimension): readonly number[] => (FILTERS[name].dimension as { values: readonly number[] }).values;

/** The orderings a list offers; `-` for descending. The id breaks ties in each. */
export const ORDERINGS = ["id", "-id", "modified", "-modified", "customer_number", "-customer_number"] as const;
export type Ordering = (typeof ORDERINGS)[number];
export type SortColumn = "id" | "modified" | "customer_number";
export const sortColumnOf = (ordering: Ordering) => ordering.replace("-", "") as SortColumn;

/** Every subset of the open dimensions, each the lead of one family of indexes. */
export const FAMILIES = OPEN.reduce<Dimension[][]>((subsets, name) => subsets.flatMap((subset) => [subset, [...subset, name]]), [[]]);

/**
 * The index that serves a family in a sort order: the family's open dimensions, every enumerated
 * dimension, then the sort column (the rowid, which every index ends with, serves the id).
 */
export function familyIndex(family: readonly Dimension[], sort: SortColumn) {
  const columns = [...family, ...ENUMERATED, ...(sort === "id" ? [] : [sort])];
  return { name: `customers_by_${columns.join("_")}`, columns };
}
