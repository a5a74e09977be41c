import { type SQL, sql } from "drizzle-orm";
import type { CustomerChanges, WritableField } from "../schema";
import { columns } from "./rows";

// The items of a write travel as one JSON array, bound once per statement: the statements are the
// same whatever the number of items, and none binds more than a few parameters (D1 allows 100).
// An item is `{"id": …, "if_match": [versions] | null, "changes": {field: value, …}}`.

/** If-Match as a write sees it: any version (no header, or "*"), or one of these (none matches []). */
export type IfMatch = "*" | number[] | undefined;

/** One customer to write: its id (none for a creation), the fields to change, and its If-Match. */
export type WriteItem = { id?: number; changes: CustomerChanges; ifMatch?: IfMatch };

/** The items as JSON, with each value as the column stores it (booleans as 0 or 1). */
export function itemsJson(items: WriteItem[]): string {
  return JSON.stringify(
    items.map(({ id, changes, ifMatch }) => ({
      id,
      if_match: Array.isArray(ifMatch) ? ifMatch : null,
      changes: Object.fromEntries(
        (Object.keys(changes) as WritableField[])
          .filter((field) => changes[field] !== undefined)
          .map((field) => [field, changes[field] === null ? null : columns[field].mapToDriverValue(changes[field])]),
      ),
    })),
  );
}

/** The fields that any item gives, in table order (which keeps the compiled-statement cache small). */
export const givenFields = (items: WriteItem[], order: readonly WritableField[]) =>
  order.filter((field) => items.some((item) => item.changes[field] !== undefined));

/** SQL on the items of `json_each(…) AS <alias>`. */
export function itemsAs(alias: string) {
  const value = sql.raw(`${alias}.value`);
  const path = (field: string) => sql.raw(`'$.changes.${field}'`);
  return {
    from: (items: unknown) => sql`json_each(${items}) AS ${sql.raw(alias)}`,
    order: sql.raw(`${alias}.key`),
    id: sql`json_extract(${value}, '$.id')`,
    given: (field: WritableField) => sql`(json_type(${value}, ${path(field)}) IS NOT NULL)`,
    typeOf: (field: WritableField) => sql`json_type(${value}, ${path(field)})`,
    value: (field: WritableField) => sql`json_extract(${value}, ${path(field)})`,
    /** The item gives a value that differs from the column's (NULL-safe). */
    differs: (field: WritableField) =>
      sql`(json_type(${value}, ${path(field)}) IS NOT NULL AND ${columns[field]} IS NOT json_extract(${value}, ${path(field)}))`,
    /** The item's value where it gives one, else the column's. */
    merged: (field: WritableField): SQL =>
      sql`CASE WHEN json_type(${value}, ${path(field)}) IS NOT NULL THEN json_extract(${value}, ${path(field)}) ELSE ${columns[field]} END`,
    /** If-Match holds no version of `version` (NULL when the item has no If-Match). */
    stale: (version: unknown) =>
      sql`CASE WHEN json_type(${value}, '$.if_match') = 'array' THEN ${version} NOT IN (SELECT value FROM json_each(${value}, '$.if_match')) END`,
  };
}
