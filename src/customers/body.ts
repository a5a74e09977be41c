import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type * as z from "zod/mini";
import { REFERENCES } from "../db/problems";
import type { AuthenticatedEnv } from "../env";
import { isObject, type JsonObject, type ListBodyEnv, notADictionary, type ObjectBodyEnv } from "../http/json-body";
import { type FieldErrors, toFieldErrors } from "../validation/errors";
import { bulkItem, type CustomerChanges, customerFields, inFieldOrder, WRITABLE_FIELDS, type WritableField } from "./fields";
import { forbiddenFields } from "./gdpr";
import { CUSTOMER_NUMBER_TAKEN, DUPLICATE_ID } from "./messages";
import { refusedFields } from "./refusals";

// The request bodies of POST and PATCH, single and bulk: who may send which fields, and DRF's field
// errors. Nothing here asks the database: what only it can check is asked by the handler (refusals.ts).

/** Consumers without GDPR access may not write personal data, whatever the values: 403 for the whole request. */
export const guardProtectedFields: MiddlewareHandler<ObjectBodyEnv & AuthenticatedEnv> = createMiddleware(
  async function guardProtectedFields(c, next) {
    const fields = forbiddenFields(c.var.body, c.var.consumer.gdprAccess);
    if (fields.length) return refusedFields(c, fields);
    return next();
  },
);

/** The same for every item of a bulk PATCH. */
export const guardBulkProtectedFields: MiddlewareHandler<ListBodyEnv & AuthenticatedEnv> = createMiddleware(
  async function guardBulkProtectedFields(c, next) {
    const forbidden = new Set(c.var.items.filter(isObject).flatMap((body) => forbiddenFields(body, c.var.consumer.gdprAccess)));
    if (forbidden.size)
      return refusedFields(
        c,
        WRITABLE_FIELDS.filter((field) => forbidden.has(field)),
      );
    return next();
  },
);

// Fields whose validity only the database can tell.
const DATABASE_CHECKED: WritableField[] = ["customer_number", ...REFERENCES.keys()];

/**
 * A body validated by `schema`: its values, or DRF's field errors with the values of the fields that
 * passed but that only the database can check (DRF reports every failing field at once).
 */
export type Parsed<T> = { valid: true; data: T } | { valid: false; errors: FieldErrors; unchecked: CustomerChanges };

export function parseBody<S extends z.ZodMiniType>(schema: S, body: JsonObject): Parsed<z.output<S>> {
  const result = schema.safeParse(body);
  if (result.success) return { valid: true, data: result.data };
  const errors = toFieldErrors(result.error.issues);
  const unchecked: Record<string, unknown> = {};
  for (const field of DATABASE_CHECKED) {
    const parsed = Object.hasOwn(body, field) && !errors[field] ? customerFields[field].safeParse(body[field]) : undefined;
    if (parsed?.success) unchecked[field] = parsed.data;
  }
  return { valid: false, errors: inFieldOrder(errors), unchecked: unchecked as CustomerChanges };
}

export type BulkItem = z.output<typeof bulkItem>;

/** Whether an item gives a valid value (a string or number, not null) that an earlier item gave. */
function repeatsOf(parse: (body: JsonObject) => { success: boolean; data?: unknown }) {
  const seen = new Set<unknown>();
  return (body: JsonObject): boolean => {
    const value = parse(body);
    if (!value.success || value.data === null || value.data === undefined) return false;
    if (seen.has(value.data)) return true;
    seen.add(value.data);
    return false;
  };
}

/**
 * Every item of a bulk PATCH validated as a PATCH body is, plus its id: its values, or the errors of
 * every item at once in DRF's ListSerializer shape (an array in request order, `{}` for good items).
 * An id or a customer number given twice is an error of its later item, whether or not other fields of
 * either item fail.
 */
export function parseBulk(items: unknown[]): { valid: true; items: BulkItem[] } | { valid: false; errors: FieldErrors[] } {
  const repeated = {
    id: repeatsOf((body) => bulkItem.shape.id.safeParse(body.id)),
    // "" (after trimming) is a number like any other: unique when not null (docs/decisions.md).
    customer_number: repeatsOf((body) => bulkItem.shape.customer_number.safeParse(body.customer_number)),
  };
  const parsed: BulkItem[] = [];
  const errors = items.map((body): FieldErrors => {
    if (!isObject(body)) return notADictionary(body);
    const twice: FieldErrors = {
      ...(repeated.id(body) ? { id: [DUPLICATE_ID] } : {}),
      ...(repeated.customer_number(body) ? { customer_number: [CUSTOMER_NUMBER_TAKEN] } : {}),
    };
    const result = bulkItem.safeParse(body);
    if (!result.success) return { ...twice, ...inFieldOrder(toFieldErrors(result.error.issues), ["id"]) };
    if (Object.keys(twice).length) return twice;
    parsed.push(result.data);
    return {};
  });
  return errors.some((entry) => Object.keys(entry).length) ? { valid: false, errors } : { valid: true, items: parsed };
}
