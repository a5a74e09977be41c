import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { findInvalidReferences, REFERENCES, updateCustomer } from "../db/customers";
import type { Customer } from "../db/schema";
import type { AppEnv } from "../env";
import { details, fieldErrors } from "../http/errors";
import { etag, parseIfMatch } from "../http/etag";
import { jsonBody } from "../http/json-body";
import { methodNotAllowed } from "../http/method-not-allowed";
import { type FieldErrors, mergeFieldErrors, toFieldErrors } from "../validation/errors";
import { type CustomerChanges, customerFields, customerPatch, WRITABLE_FIELDS, type WritableField } from "./fields";
import { customerView, forbiddenFields, PROTECTED_FIELDS } from "./gdpr";
import { customerIdParam } from "./id-param";

const forbidden = (fields: string[]) => `You do not have permission to change these fields: ${fields.join(", ")}.`;

/** Consumers without GDPR access may not write personal data, whatever the values (SPEC §2). */
const guardProtectedFields = createMiddleware<AppEnv>(async (c, next) => {
  const fields = forbiddenFields(await c.req.json(), c.var.consumer!.gdprAccess);
  if (fields.length) {
    c.set("securityEvent", "authz_fail");
    return details(c, 403, forbidden(fields));
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
  const id = Number(c.req.param("id"));
  mergeFieldErrors(errors, await findInvalidReferences(c.var.db, id, passed as CustomerChanges));
  return fieldErrors(c, inFieldOrder(errors));
}

// zValidator cannot infer the app's Env from a hook, hence the one cast.
const validPatch = zValidator("json", customerPatch, (result, c) =>
  result.success ? undefined : reportFieldErrors(c as unknown as Context<AppEnv>, result.error.issues),
);

function inFieldOrder(errors: FieldErrors): FieldErrors {
  const ordered: FieldErrors = {};
  for (const field of [...WRITABLE_FIELDS, ...Object.keys(errors)]) if (errors[field]) ordered[field] ??= errors[field];
  return ordered;
}

export const customerResponse = (c: Context<AppEnv>, customer: Customer) =>
  c.json(customerView(customer, c.var.consumer!.gdprAccess), 200, { ETag: etag(customer.version) });

/** PATCH /api/v2/customers/{id}/ — update partial customer data (SPEC §4). */
export const patchCustomer = new Hono<AppEnv>()
  .patch(
    "/:id",
    authenticate,
    requireScope("customers:write"),
    customerIdParam,
    jsonBody,
    guardProtectedFields,
    validPatch,
    async (c) => {
      const { id: _ignored, modified: _alsoIgnored, ...changes } = c.req.valid("json");
      const outcome = await updateCustomer(c.var.db, {
        id: c.req.valid("param").id,
        changes,
        consumer: c.var.consumer!,
        requestId: c.var.requestId,
        ifMatch: parseIfMatch(c.req.header("If-Match")),
      });
      switch (outcome.status) {
        case "updated":
          if (outcome.changedFields.some((field) => PROTECTED_FIELDS.has(field))) c.set("securityEvent", "sensitive_update");
          return customerResponse(c, outcome.customer);
        case "unchanged":
          return customerResponse(c, outcome.customer);
        case "not_found":
          return details(c, 404, "Not found.");
        case "restricted_type_forbidden":
          c.set("securityEvent", "authz_fail");
          return details(c, 403, forbidden(["restricted_type"]));
        case "precondition_failed":
          return details(c, 412, "Precondition failed: the customer has changed since it was read.");
        case "invalid":
          return fieldErrors(c, outcome.errors);
      }
    },
  )
  // DRF authenticates before it answers 405.
  .all("/:id", authenticate, methodNotAllowed(["PATCH"]));
