import * as z from "zod/mini";
import { type CustomerChanges, WRITABLE_FIELDS, type WritableField } from "../db/schema";
import type { FieldErrors } from "../validation/errors";
import {
  boolean,
  charField,
  country,
  date,
  email,
  ignored,
  nullableNonNegativeDecimal,
  nullableReference,
  phone,
  primaryKey,
} from "../validation/fields";

/**
 * The rules for each writable field of a customer, in the order of the README's field table. The one
 * place they are written: request validation, the OpenAPI document (and from it the client's types) all
 * come from here, and the `satisfies` below fails to compile if a column of the customers table has no
 * rule or a rule no column.
 */
export const customerFields = {
  customer_number: z.nullable(charField(50)),
  identification: z.nullable(charField(50)),
  name: charField(200, { blank: false }),
  name_ext: z.nullable(charField(200)),
  email: z.nullable(email(254)),
  phone: z.nullable(phone(32)),
  phone2: z.nullable(phone(32)),
  two_sms_numbers: boolean(),
  no_sms: boolean(),
  personal_id: z.nullable(charField(32)),
  invoice_name: z.nullable(charField(200)),
  invoice_country: z.nullable(country()),
  country: z.nullable(country()),
  note: z.nullable(charField(4000)),
  editable_by_customer: boolean(),
  cooperative_member: boolean(),
  cooperative_date: z.nullable(date()),
  cooperative_reimbursement_date: z.nullable(date()),
  cooperative_sum: nullableNonNegativeDecimal(12, 2),
  address: nullableReference(),
  language: nullableReference(),
  restricted_type: nullableReference(),
  status: nullableReference(),
  type: nullableReference(),
  apartment: nullableReference(),
  water_database: nullableReference(),
} satisfies Record<WritableField, z.ZodMiniType>;

export type { CustomerChanges, CustomerField, WritableField } from "../db/schema";
export { WRITABLE_FIELDS };

/** Errors in the order of the field table (after `first`), unknown fields last. */
export function inFieldOrder(errors: FieldErrors, first: string[] = []): FieldErrors {
  // No prototype: an unknown field may be called "__proto__".
  const ordered: FieldErrors = Object.create(null);
  for (const field of [...first, ...WRITABLE_FIELDS, ...Object.keys(errors)]) if (errors[field]) ordered[field] ??= errors[field];
  return ordered;
}

/** A PATCH body: any subset of the writable fields; unknown fields are refused, read-only ones ignored. */
export const customerPatch = z.strictObject({
  ...z.partial(z.object(customerFields)).shape,
  id: ignored(),
  modified: ignored(),
});

/** A POST body: `name` is required, the other fields take their defaults (false or null). */
export const customerCreate = z.strictObject({
  ...customerPatch.shape,
  name: customerFields.name,
});

/** One item of a bulk PATCH: the customer's id and any writable fields. */
export const bulkItem = z.strictObject({ ...customerPatch.shape, id: primaryKey() });

/** `{id}` of a customer's path: a positive integer (anything else names no customer: 404). */
export const customerIdParams = z.object({
  id: z
    .pipe(z.string().check(z.regex(/^[1-9]\d{0,15}$/)), z.transform(Number))
    .check(z.refine(Number.isSafeInteger))
    .register(z.globalRegistry, {
      type: "integer",
      format: "int64",
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      example: 7,
      description: "The customer's id, a positive integer.",
    }),
});

/** The changes of a body or a bulk item: what it gives, without the read-only fields DRF ignores. */
export const changesOf = <T extends { id?: unknown; modified?: unknown }>({ id: _id, modified: _modified, ...changes }: T) =>
  changes as Omit<T, "id" | "modified"> & CustomerChanges;
