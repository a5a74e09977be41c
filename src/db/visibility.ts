import { and, eq, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { customers, restrictedTypes } from "./schema";

/**
 * Who reads or writes, as the database needs to know it: the consumer's id (for the audit trail) and
 * whether it sees customers at protection level `extended` (the GDPR policy's answer, src/customers/gdpr.ts).
 */
export type Viewer = { consumerId: number; seesHidden: boolean };

/** The customers this viewer may see: those at level `extended` only if it sees hidden ones. */
export function visibleTo({ seesHidden }: Pick<Viewer, "seesHidden">): SQL {
  if (seesHidden) return sql`1`;
  return sql`(${customers.restricted_type} IS NULL OR ${customers.restricted_type} IN (SELECT ${restrictedTypes.id} FROM ${restrictedTypes} WHERE ${restrictedTypes.protection_level} = 'normal'))`;
}

/** The customer with this id (a value or a column), if this viewer may see it. */
export const visibleCustomer = (id: number | SQLiteColumn, viewer: Viewer) => and(eq(customers.id, id), visibleTo(viewer));

/** The protection level of a restricted type, as an SQL expression. */
/** Whether a restricted type (a value, placeholder or column) puts a customer at level `extended`, as 0 or 1. */
export const isHiddenLevel = (restrictedType: unknown) => sql<boolean>`(${levelOf(restrictedType)} IS 'extended')`;

export const levelOf = (restrictedType: unknown) =>
  sql<string | null>`(SELECT ${restrictedTypes.protection_level} FROM ${restrictedTypes} WHERE ${restrictedTypes.id} = ${restrictedType})`;
