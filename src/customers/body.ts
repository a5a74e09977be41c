import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type * as z from "zod/mini";
import { checkItems, REFERENCES } from "../db/problems";
import type { AuthenticatedEnv } from "../env";
import { fieldErrors } from "../http/errors";
import type { BodyEnv } from "../http/json-body";
import { type FieldErrors, mergeFieldErrors, toFieldErrors } from "../validation/errors";
import {
  type CustomerChanges,
  type CustomerCreate,
  type CustomerPatch,
  customerCreate,
  customerFields,
  customerPatch,
  WRITABLE_FIELDS,
  type WritableField,
} from "./fields";
import { forbiddenFields, viewerOf } from "./gdpr";
import { besideOtherErrors, refusedFields, storedDataErrors } from "./write-errors";

// The request bodies of POST and PATCH: who may send which fields, and DRF's field errors.

/** Consumers without GDPR access may not write personal data, whatever the values. */
export const guardProtectedFields = createMiddleware<BodyEnv & AuthenticatedEnv>(async function guardProtectedFields(c, next) {
  const fields = forbiddenFields(c.var.body, c.var.consumer.gdprAccess);
  if (fields.length) return refusedFields(c, fields);
  await next();
});

// Fields whose validity only the database can tell.
const DATABASE_CHECKED: WritableField[] = ["customer_number", ...REFERENCES.keys()];

/**
 * DRF reports every failing field at once: with the fields that failed here come the references to
 * missing rows and a taken customer number among the fields that passed (one more round trip).
 */
async function reportFieldErrors(c: Context<BodyEnv & AuthenticatedEnv>, issues: readonly z.core.$ZodIssue[]) {
  const errors = toFieldErrors(issues);
  const body = c.var.body;
  const passed: Record<string, unknown> = {};
  for (const field of DATABASE_CHECKED) {
    const parsed = Object.hasOwn(body, field) && !errors[field] ? customerFields[field].safeParse(body[field]) : undefined;
    if (parsed?.success) passed[field] = parsed.data;
  }
  const id = c.req.param("id");
  const consumer = c.var.consumer;
  if (Object.keys(passed).length) {
    const [facts] = await checkItems(
      c.var.db,
      [{ id: id === undefined ? undefined : Number(id), changes: passed as CustomerChanges }],
      viewerOf(consumer),
    );
    mergeFieldErrors(errors, storedDataErrors(besideOtherErrors(consumer, facts!.problems), body));
  }
  return fieldErrors(c, inFieldOrder(errors));
}

/** Errors in the order of the field table (after `first`), unknown fields last. */
export function inFieldOrder(errors: FieldErrors, first: string[] = []): FieldErrors {
  // No prototype: an unknown field may be called "__proto__".
  const ordered: FieldErrors = Object.create(null);
  for (const field of [...first, ...WRITABLE_FIELDS, ...Object.keys(errors)]) if (errors[field]) ordered[field] ??= errors[field];
  return ordered;
}

/**
 * Validates the parsed body (`c.var.body`) with `schema`; the result is `c.req.valid("json")`, and the
 * typed client sends `In`.
 */
function validBody<S extends z.ZodMiniType, In>(schema: S) {
  return createMiddleware<BodyEnv & AuthenticatedEnv, string, { in: { json: In }; out: { json: z.output<S> } }>(
    async function validBody(c, next) {
      const result = schema.safeParse(c.var.body);
      if (!result.success) return reportFieldErrors(c, result.error.issues);
      c.req.addValidatedData("json", result.data as object);
      await next();
    },
  );
}

export const validPatch = validBody<typeof customerPatch, CustomerPatch>(customerPatch);
export const validCreate = validBody<typeof customerCreate, CustomerCreate>(customerCreate);
