import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type * as z from "zod/mini";
import { findStoredDataProblems, REFERENCES, type StoredDataProblem } from "../db/problems";
import type { AuthenticatedEnv } from "../env";
import { details, fieldErrors } from "../http/errors";
import type { BodyEnv, JsonObject } from "../http/json-body";
import { type FieldErrors, mergeFieldErrors, NON_FIELD_ERRORS, toFieldErrors } from "../validation/errors";
import { doesNotExist } from "../validation/fields";
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

// The request bodies of POST and PATCH: who may send which fields, and DRF's field errors.

export const forbiddenMessage = (fields: string[]) => `You do not have permission to change these fields: ${fields.join(", ")}.`;

export const CUSTOMER_NUMBER_TAKEN = "Customer with this customer number already exists.";
/** A number that a customer the consumer cannot see holds: it says no more than that it cannot be used. */
export const CUSTOMER_NUMBER_UNAVAILABLE = "This customer number cannot be used.";
export const COOPERATIVE_DATES = "cooperative_reimbursement_date may not be before cooperative_date.";

/** DRF's messages for what the database found wrong with the values of `body`. */
export function storedDataErrors(problems: StoredDataProblem[], body: JsonObject): FieldErrors {
  const errors: FieldErrors = Object.create(null);
  for (const { field, problem } of problems) {
    if (problem === "reimbursed_before_joining") errors[NON_FIELD_ERRORS] = [COOPERATIVE_DATES];
    else if (problem === "missing") errors[field] = [doesNotExist(body[field])];
    else errors[field] = [problem === "taken" ? CUSTOMER_NUMBER_TAKEN : CUSTOMER_NUMBER_UNAVAILABLE];
  }
  return errors;
}

/** Consumers without GDPR access may not write personal data, whatever the values. */
export const guardProtectedFields = createMiddleware<BodyEnv & AuthenticatedEnv>(async function guardProtectedFields(c, next) {
  const fields = forbiddenFields(c.var.body, c.var.consumer.gdprAccess);
  if (fields.length) {
    c.set("securityEvent", "authz_fail");
    return details(c, 403, forbiddenMessage(fields));
  }
  await next();
});

// Fields whose validity only the database can tell.
const DATABASE_CHECKED: WritableField[] = ["customer_number", ...(REFERENCES.keys() as Iterable<WritableField>)];

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
  const problems = await findStoredDataProblems(
    c.var.db,
    { id: id === undefined ? undefined : Number(id), viewer: viewerOf(c.var.consumer) },
    passed as CustomerChanges,
  );
  mergeFieldErrors(errors, storedDataErrors(problems, body));
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
