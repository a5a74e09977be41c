import { type SQL, sql } from "drizzle-orm";
import { type Customer, customers, restrictedTypes } from "./schema";

// The GDPR policy (src/customers/gdpr.ts) as SQL: the one place where the protection level of a
// restricted type is read, for queries and for the triggers (src/db/triggers.ts) alike.

/**
 * Who reads or writes, as the database needs to know it: the consumer's id (for the audit trail) and
 * whether it sees customers at protection level `extended` (the GDPR policy's answer).
 */
export type Viewer = { consumerId: number; seesHidden: boolean };

/**
 * Whether a restricted type (a value, a placeholder or an expression) puts a customer at level
 * `extended`, as 0 or 1: one primary-key lookup, and none for a customer without a restricted type.
 */
export const isHidden = (restrictedType: unknown) =>
  sql<number>`EXISTS (SELECT 1 FROM ${restrictedTypes} WHERE ${restrictedTypes.id} = ${restrictedType} AND ${restrictedTypes.protection_level} = 'extended')`;

/** The customers this viewer may see (by their restricted type): at level `extended` only if it sees hidden ones. */
export const visibleTo = ({ seesHidden }: Pick<Viewer, "seesHidden">, restrictedType: unknown = customers.restricted_type): SQL =>
  seesHidden ? sql`1` : sql`NOT ${isHidden(restrictedType)}`;

/** The customer with this id (a value or a column), if this viewer may see it. */
export const visibleCustomer = (id: unknown, viewer: Pick<Viewer, "seesHidden">) => sql`${customers.id} = ${id} AND ${visibleTo(viewer)}`;

/**
 * A write that gives this restricted type: refused unless the viewer sees hidden customers (the
 * customer would vanish from its own view), as 0 or 1.
 */
export const forbidsLevel = ({ seesHidden }: Pick<Viewer, "seesHidden">, restrictedType: unknown) =>
  seesHidden ? sql<number>`0` : isHidden(restrictedType);

/**
 * Whether the change feed shows an audit entry to a consumer that does not see hidden customers:
 * unless the customer was hidden before and after the write (a hiding shows as an erasure, a
 * reappearance as a creation). The shown version counts these entries, so the feed numbers each
 * customer's entries without a gap.
 */
export const inFeed = (hiddenBefore: unknown, hiddenAfter: unknown) => sql<number>`(NOT (${hiddenBefore} AND ${hiddenAfter}))`;

/**
 * Whether a customer's trail shows an audit entry to such a consumer: unless the customer was hidden
 * after the write, so that a customer that reappears shows nothing from its hiding to its reappearance.
 */
export const inTrail = (hiddenAfter: unknown) => sql<number>`(NOT ${hiddenAfter})`;

/**
 * The version a viewer counts, its ETag: every write for one that sees hidden customers; for any
 * other, only the writes it is shown, so that a customer that reappears does not number what was
 * done while it was hidden.
 */
export const versionSeenBy = ({ seesHidden }: Pick<Viewer, "seesHidden">) => (seesHidden ? customers.version : customers.shown_version);
export const seenVersion = (customer: Pick<Customer, "version" | "shown_version">, { seesHidden }: Pick<Viewer, "seesHidden">) =>
  seesHidden ? customer.version : customer.shown_version;
