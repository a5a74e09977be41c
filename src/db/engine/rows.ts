import { getTableColumns, type InferSelectModel, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { customerChanges, customers } from "../schema";

// Rows in and out of D1, from the Drizzle schema's columns.

export const columns = getTableColumns(customers);

const COLUMNS = Object.entries(columns);

/** A decoder of a table's rows as D1 returns them (booleans from 0/1), with Drizzle's column mappings. */
function decoder<T extends SQLiteTable>(table: T) {
  const entries = Object.entries(getTableColumns(table));
  return (row: Record<string, unknown>): InferSelectModel<T> => {
    const decoded: Record<string, unknown> = {};
    for (const [name, column] of entries) {
      const value = row[name];
      decoded[name] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return decoded as InferSelectModel<T>;
  };
}

export const decodeCustomer = decoder(customers);
export const decodeChange = decoder(customerChanges);

/** A customer row as a JSON object, built in SQL from every column of the schema (by bare names). */
const customerJson = sql`json_object(${sql.join(
  COLUMNS.map(([name]) => sql`${sql.raw(`'${name}'`)}, ${sql.identifier(name)}`),
  sql`, `,
)})`;

/** The customer row with this id as a JSON object. */
export const rowAsJson = (id: SQL) => sql`(SELECT ${customerJson} FROM ${customers} WHERE ${customers.id} = ${id})`;
