import { getTableColumns, type SQL, sql } from "drizzle-orm";
import { type Customer, customers } from "./schema";

// A customer row in and out of D1, from the Drizzle schema's columns.

export const columns = getTableColumns(customers);

const COLUMNS = Object.entries(columns);

/** A row as D1 returns it → a Customer (booleans from 0/1), with Drizzle's column mappings. */
export function decodeCustomer(row: Record<string, unknown>): Customer {
  const customer: Record<string, unknown> = {};
  for (const [name, column] of COLUMNS) {
    const value = row[name];
    customer[name] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return customer as Customer;
}

/** A customer row as a JSON object, built in SQL from every column of the schema (by bare names). */
export const customerJson = sql`json_object(${sql.join(
  COLUMNS.map(([name]) => sql`${sql.raw(`'${name}'`)}, ${sql.identifier(name)}`),
  sql`, `,
)})`;

/** The customer row with this id as a JSON object. */
export const rowAsJson = (id: SQL) => sql`(SELECT ${customerJson} FROM ${customers} WHERE ${customers.id} = ${id})`;
