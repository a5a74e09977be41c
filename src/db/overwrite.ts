import { getTableColumns, type SQL, sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import { customers, idempotencyKeys, type WritableField } from "./schema";

// Personal data is overwritten where it lies before SQLite gives its bytes up: D1 accepts neither
// `PRAGMA secure_delete` nor VACUUM, and SQLite leaves the bytes of a deleted cell, or of the old
// copy of a row an update rewrites elsewhere (a row that grows or shrinks), in the page's free space.
// A value of the same size is rewritten in place, so it leaves nothing behind (docs/security.md says
// what still remains).

/**
 * A value of the same size in bytes, all zeros (NULL stays NULL): SQLite rewrites a cell of the same
 * size in place. Bytes, not characters: "Meikäläinen" is 13 bytes for 11 characters. A text of n bytes
 * and a blob of n bytes have record headers of the same size, so the row keeps its size.
 */
export const zeros = (column: unknown) => sql`CASE WHEN ${column} IS NOT NULL THEN zeroblob(length(CAST(${column} AS BLOB))) END`;

/** Text columns that no index copies: their bytes live only in the row, so overwriting the row's cell overwrites them. */
const indexed = new Set(
  getTableConfig(customers).indexes.flatMap((index) => index.config.columns.map((column) => (column as { name: string }).name)),
);
export const OVERWRITTEN: readonly WritableField[] = Object.values(getTableColumns(customers))
  .filter((column) => column.getSQLType() === "text" && !indexed.has(column.name) && !column.isUnique)
  .map((column) => column.name as WritableField);

const names = (row: "OLD" | "NEW") => OVERWRITTEN.map((field) => sql.raw(`${row}."${field}"`));

/** The statement of a trigger that overwrites the row it fires for (by primary key, in place). */
export const overwriteRow = sql`UPDATE ${customers} SET ${sql.join(
  OVERWRITTEN.map((field) => sql`${sql.identifier(field)} = ${zeros(sql.identifier(field))}`),
  sql`, `,
)} WHERE "id" = OLD."id";`;

/** The row holds some personal text (else overwriting it would write a row for nothing). */
export const holdsText: SQL = sql`coalesce(${sql.join(names("OLD"), sql`, `)}) IS NOT NULL`;

/** A personal column of the written row is zeros: an update that did not set it kept what the trigger wrote. */
export const keptZeros: SQL = sql.join(
  names("NEW").map((column) => sql`typeof(${column}) = 'blob'`),
  sql` OR `,
);

/** The SET of an idempotency record's sealed copy of the created customer, overwritten by zeros. */
export const zeroedRecord = sql`copy = ${zeros(idempotencyKeys.copy)}`;
