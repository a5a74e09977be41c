import type { Customer, GdprLevel } from "../db/schema";
import { type CustomerField, WRITABLE_FIELDS, type WritableField } from "./fields";

/** The personal data of SPEC §2: hidden from, and not writable by, consumers with GDPR access `none`. */
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

export const hasAccess = (access: GdprLevel, level: GdprLevel) => RANK[access] >= RANK[level];

/** The fields of `body` that a consumer may not write, in the order of SPEC §3. */
export function forbiddenFields(body: object, access: GdprLevel): WritableField[] {
  if (hasAccess(access, "normal")) return [];
  return WRITABLE_FIELDS.filter((field) => Object.hasOwn(body, field) && (PROTECTED_FIELDS.has(field) || field === "restricted_type"));
}

/** The customer as a consumer may see it: `version` travels as the ETag, personal data only with access. */
export function customerView(row: Customer, access: GdprLevel): Partial<Customer> {
  const { version: _version, ...customer } = row;
  if (!hasAccess(access, "normal")) {
    for (const field of PROTECTED_FIELDS) delete customer[field as keyof typeof customer];
  }
  return customer;
}
