import { zValidator } from "@hono/zod-validator";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type * as z from "zod/mini";
import { findInvalidReferences, REFERENCES } from "../db/customers";
import type { AppEnv } from "../env";
import { details, fieldErrors } from "../http/errors";
import { type FieldErrors, mergeFieldErrors, toFieldErrors } from "../validation/errors";
import { type CustomerChanges, customerCreate, customerFields, customerPatch, WRITABLE_FIELDS, type WritableField } from "./fields";
import { forbiddenFields } from "./gdpr";

// The request bodies of POST and PATCH: who may send which fields, and DRF's field errors.

export const forbiddenMessage = (fields: string[]) => `You do not have permission to change these fields: ${fields.join(", ")}.`;

/** Consumers without GDPR access may not write personal data, whatever the values (SPEC §2). */
export const guardProtectedFields = createMiddleware<AppEnv>(async (c, next) => {
  const fields = forbiddenFields(await c.req.json(), c.var.consumer!.gdprAccess);
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
async function reportFieldErrors(c: Context<AppEnv>, issues: readonly z.core.$ZodIssue[]) {
  const errors = toFieldErrors(issues);
  const body: Record<string, unknown> = await c.req.json();
  const passed: Record<string, unknown> = {};
  for (const field of DATABASE_CHECKED) {
    const parsed = Object.hasOwn(body, field) && !errors[field] ? customerFields[field].safeParse(body[field]) : undefined;
    if (parsed?.success) passed[field] = parsed.data;
  }
  // On POST there is no id yet, and no customer has the id 0.
  const id = Number(c.req.param("id") ?? 0);
  mergeFieldErrors(errors, await findInvalidReferences(c.var.db, id, passed as CustomerChanges));
  return fieldErrors(c, inFieldOrder(errors));
}

function inFieldOrder(errors: FieldErrors): FieldErrors {
  // No prototype: an unknown field may be called "__proto__".
  const ordered: FieldErrors = Object.create(null);
  for (const field of [...WRITABLE_FIELDS, ...Object.keys(errors)]) if (errors[field]) ordered[field] ??= errors[field];
  return ordered;
}

// zValidator cannot infer the app's Env from a hook, hence the cast.
const hook = (result: { success: boolean; error?: { issues: z.core.$ZodIssue[] } }, c: Context) =>
  result.success ? undefined : reportFieldErrors(c as unknown as Context<AppEnv>, result.error!.issues);

export const validPatch = zValidator("json", customerPatch, hook);
export const validCreate = zValidator("json", customerCreate, hook);
