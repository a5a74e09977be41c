import type { Consumer } from "../auth/consumer";
import type { Customer, GdprLevel } from "../db/schema";
import { seenVersion, type Viewer } from "../db/visibility";
import { type CustomerField, WRITABLE_FIELDS, type WritableField } from "./fields";

// The GDPR policy: the one place its rules are written (docs/security.md). The database layer gets
// its plain answers (a Viewer), never the consumer.

/** The personal data: hidden from, and not writable by, consumers with GDPR access `none`. */
export const PROTECTED_FIELDS: ReadonlySet<CustomerField> = new Set([
  "name",
  "name_ext",
  "email",
  "phone",
  "phone2",
  "invoice_name",
  "personal_id",
]);

const RANK: Record<GdprLevel, number> = { none: 0, normal: 1, extended: 2 };

/** Access levels are ordered none < normal < extended. */
export const hasAccess = (access: GdprLevel, level: GdprLevel) => RANK[access] >= RANK[level];

/** Personal data is read and written with access `normal` or more. */
const handlesPersonalData = (access: GdprLevel) => hasAccess(access, "normal");

/**
 * Customers at protection level `extended` exist only for consumers with access `extended`, and only
 * those may give a customer that level (else it would vanish from their own view).
 */
const seesHiddenCustomers = (access: GdprLevel) => hasAccess(access, "extended");

/** The consumer as the database needs to know it. */
export const viewerOf = (consumer: Consumer): Viewer => ({ consumerId: consumer.id, seesHidden: seesHiddenCustomers(consumer.gdprAccess) });

/** The fields of `body` that a consumer may not write, in the order of the field table. */
export function forbiddenFields(body: object, access: GdprLevel): WritableField[] {
  if (handlesPersonalData(access)) return [];
  return WRITABLE_FIELDS.filter((field) => Object.hasOwn(body, field) && (PROTECTED_FIELDS.has(field) || field === "restricted_type"));
}

/** The customer as a consumer may see it: no bookkeeping columns, personal data only with access. */
export function customerView(row: Customer, access: GdprLevel): Partial<Pick<Customer, CustomerField>> {
  const { version: _version, shown_version: _shown, ...customer } = row;
  if (!handlesPersonalData(access)) {
    for (const field of PROTECTED_FIELDS) delete customer[field as keyof typeof customer];
  }
  return customer;
}

/** The customer's version as this consumer counts it: its ETag. */
export const versionFor = (customer: Customer, consumer: Consumer) => seenVersion(customer, viewerOf(consumer));
