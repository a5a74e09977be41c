import { getTableColumns, type InferSelectModel } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { customerChanges, customers, webhookDeliveries, webhookSubscriptions } from "../schema";

// Rows in and out of D1, from the Drizzle schema's columns.

export const columns = getTableColumns(customers);

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
export const decodeSubscription = decoder(webhookSubscriptions);
export const decodeDelivery = decoder(webhookDeliveries);
