import * as z from "zod/mini";
import { type Consumer, type GdprLevel, hasAccess } from "../db/consumers";
import type { Customer } from "../db/schema";
import { seenVersion, type Viewer } from "../db/visibility";
import { type CustomerField, customerFields, WRITABLE_FIELDS, type WritableField } from "./fields";

// The GDPR policy as the API applies it to consumers: which fields are personal data, who may read and
// write them, and who sees customers at level `extended` (docs/security.md). The database is told a
// Viewer, and what a Viewer is shown is decided in src/db/visibility.ts.

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

/** Personal data is read and written with access `normal` or more. */
export const handlesPersonalData = (access: GdprLevel) => hasAccess(access, "normal");

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

const PERSONAL_DATA = "Personal data: only for consumers with GDPR access `normal` or `extended`.";

/** A customer as the API answers it: the fields, the id and `modified`; the personal data only with GDPR access. */
export const customerAnswer = z.object({
  id: z.int().check(z.gte(1)).register(z.globalRegistry, { format: "int64", readOnly: true }),
  ...Object.fromEntries(
    Object.entries(customerFields).map(([field, schema]) => [
      field,
      PROTECTED_FIELDS.has(field as CustomerField) ? z.optional(schema).register(z.globalRegistry, { description: PERSONAL_DATA }) : schema,
    ]),
  ),
  modified: z.iso.datetime().register(z.globalRegistry, { maxLength: 24, readOnly: true }),
});

/** The customer's version as this consumer counts it: its ETag. */
export const versionFor = (customer: Customer, consumer: Consumer) => seenVersion(customer, viewerOf(consumer));
