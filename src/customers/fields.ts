import * as z from "zod/mini";
import type { Customer, CustomerChanges, WritableField } from "../db/schema";
import { boolean, country, date, email, ignored, nullableNonNegativeDecimal, nullableReference, phone, text } from "../validation/fields";

/**
 * The rules for each writable field of a customer, in the order of the README's field table. The one place they are
 * written: request validation, handler types and the OpenAPI document all come from here, and the
 * type below fails to compile if a column of the customers table has no rule or a rule no column.
 */
export const customerFields = {
  customer_number: z.nullable(text(50)),
  identification: z.nullable(text(50)),
  name: text(200, { blank: false }),
  name_ext: z.nullable(text(200)),
  email: z.nullable(email(254)),
  phone: z.nullable(phone(32)),
  phone2: z.nullable(phone(32)),
  two_sms_numbers: boolean(),
  no_sms: boolean(),
  personal_id: z.nullable(text(32)),
  invoice_name: z.nullable(text(200)),
  invoice_country: z.nullable(country()),
  country: z.nullable(country()),
  note: z.nullable(text(4000)),
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
export { WRITABLE_FIELDS } from "../db/schema";

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

/** A customer as the API answers it (for the OpenAPI document): the fields, the id and `modified`. */
export const customerResource = z.object({
  id: z.int().check(z.gte(1)).register(z.globalRegistry, { format: "int64", readOnly: true }),
  ...customerFields,
  modified: z.iso.datetime().register(z.globalRegistry, { maxLength: 24, readOnly: true }),
});

/** A PATCH body as a typed client sends it: any writable field, with the type it is stored as. */
export type CustomerPatch = CustomerChanges;
/** A POST body as a typed client sends it: `name` is required. */
export type CustomerCreate = CustomerChanges & Pick<Customer, "name">;
/** An item of a bulk PATCH as a typed client sends it: the customer's id and any writable field. */
export type BulkItemInput = CustomerPatch & { id: number };
