import { type SQL, sql } from "drizzle-orm";
import { type Customer, type CustomerChange, changeCounts, customerChanges, customerCounts, customers, restrictedTypes } from "./schema";

// What a viewer is shown: every decision that depends on whether it sees customers at protection
// level `extended`, in one place, as SQL for the queries and the triggers (src/db/triggers.ts) and as
// plain functions for rows already read. To a viewer that does not see them, a customer that becomes
// hidden looks erased, and one that reappears looks created (docs/security.md).

/**
 * Who reads or writes, as the database needs to know it: the consumer's id (for the audit trail) and
 * whether it sees customers at protection level `extended` (the GDPR policy's answer, src/customers/gdpr.ts).
 */
export type Viewer = { consumerId: number; seesHidden: boolean };
type View = Pick<Viewer, "seesHidden">;

/**
 * Whether a restricted type (a value, a placeholder or an expression) puts a customer at level
 * `extended`, as 0 or 1: one primary-key lookup, and none for a customer without a restricted type.
 */
export const isHidden = (restrictedType: unknown) =>
  sql<number>`EXISTS (SELECT 1 FROM ${restrictedTypes} WHERE ${restrictedTypes.id} = ${restrictedType} AND ${restrictedTypes.protection_level} = 'extended')`;

/** The customers this viewer may see (by their restricted type): at level `extended` only if it sees hidden ones. */
export const visibleTo = ({ seesHidden }: View, restrictedType: unknown = customers.restricted_type): SQL =>
  seesHidden ? sql`1` : sql`NOT ${isHidden(restrictedType)}`;

/** The customer with this id (a value or a column), if this viewer may see it. */
export const visibleCustomer = (id: unknown, viewer: View) => sql`${customers.id} = ${id} AND ${visibleTo(viewer)}`;

/**
 * A write that gives this restricted type is refused unless the viewer sees hidden customers (the
 * customer would vanish from its own view): the refusing condition, or undefined when there is none.
 */
export const forbidsLevel = ({ seesHidden }: View, restrictedType: unknown): SQL<number> | undefined =>
  seesHidden ? undefined : isHidden(restrictedType);

/**
 * Whether an audit entry counts for a viewer that does not see hidden customers: unless the customer
 * was hidden before and after the write (a hiding counts as an erasure, a reappearance as a creation).
 * The shown version counts these entries, so that such a viewer's numbers have no gap.
 */
export const inFeed = (hiddenBefore: unknown, hiddenAfter: unknown) => sql<number>`(NOT (${hiddenBefore} AND ${hiddenAfter}))`;

/**
 * Whether a customer's trail shows an audit entry to such a viewer: unless the customer was hidden
 * after the write, so that a customer that reappears shows nothing from its hiding to its reappearance.
 */
export const inTrail = (hiddenAfter: unknown) => sql<number>`(NOT ${hiddenAfter})`;

/** The change feed's entries this viewer is shown (undefined: all of them). */
export const feedShows = ({ seesHidden }: View) =>
  seesHidden ? undefined : inFeed(customerChanges.hidden_before, customerChanges.hidden_after);

/** A customer's trail entries this viewer is shown (undefined: all of them). */
export const trailShows = ({ seesHidden }: View) => (seesHidden ? undefined : inTrail(customerChanges.hidden_after));

/** The counter of a trail's entries this viewer is shown (kept by triggers: src/db/triggers.ts). */
export const trailLength = ({ seesHidden }: View) => (seesHidden ? changeCounts.n : changeCounts.shown);

/** The customer counters of the combinations this viewer may see (undefined: all of them). */
export const countsShown = ({ seesHidden }: View) => (seesHidden ? undefined : sql`${customerCounts.hidden} = 0`);

/**
 * The version a viewer counts, its ETag: every write for one that sees hidden customers; for any
 * other, only the writes it is shown, so that a customer that reappears does not number what was
 * done while it was hidden.
 */
export const versionSeenBy = ({ seesHidden }: View) => (seesHidden ? customers.version : customers.shown_version);
export const seenVersion = (customer: Pick<Customer, "version" | "shown_version">, { seesHidden }: View) =>
  seesHidden ? customer.version : customer.shown_version;

/**
 * An audit entry as this viewer is shown it: its number in the customer's trail as the viewer counts
 * the entries (never the global id, which counts other customers' writes), its action, and whether it
 * names who made it. To a viewer that does not see hidden customers, a hiding is an erasure and a
 * reappearance a creation, made by no one it may know: the write was another consumer's, on a customer
 * it could not see.
 */
export function entrySeenBy(change: CustomerChange, { seesHidden }: View) {
  if (seesHidden) return { number: change.version, action: change.action, namesWriter: true };
  const hiding = change.hidden_after && !change.hidden_before;
  const reappearance = change.hidden_before && !change.hidden_after;
  const action = hiding ? "delete" : reappearance ? "create" : change.action;
  return { number: change.shown_version, action, namesWriter: !hiding && !reappearance };
}
