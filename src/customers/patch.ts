import { Hono } from "hono";
import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { updateCustomer } from "../db/update-customer";
import type { AppEnv } from "../env";
import { details, fieldErrors, MESSAGES } from "../http/errors";
import { ifMatchHeader } from "../http/etag";
import { bodyLimit, jsonObjectBody, MAX_BODY_BYTES } from "../http/json-body";
import { forbiddenMessage, guardProtectedFields, storedDataErrors, validPatch } from "./body";
import { PROTECTED_FIELDS } from "./gdpr";
import { customerIdParam } from "./id-param";
import { customerResponse } from "./response";

/** PATCH /api/v2/customers/{id}/ — update partial customer data (SPEC §4). */
export const patchCustomer = new Hono<AppEnv>().patch(
  "/:id",
  authenticate,
  requireScope("customers:write"),
  customerIdParam,
  ifMatchHeader,
  bodyLimit(MAX_BODY_BYTES),
  jsonObjectBody,
  guardProtectedFields,
  validPatch,
  async (c) => {
    const { id: _ignored, modified: _alsoIgnored, ...changes } = c.req.valid("json");
    const outcome = await updateCustomer(c.var.db, {
      id: c.req.valid("param").id,
      changes,
      consumer: c.var.consumer!,
      requestId: c.var.requestId,
      ifMatch: c.var.ifMatch,
    });
    switch (outcome.status) {
      case "updated":
        if (outcome.changedFields.some((field) => PROTECTED_FIELDS.has(field))) c.set("securityEvent", "sensitive_update");
        return customerResponse(c, outcome.customer);
      case "unchanged":
        return customerResponse(c, outcome.customer);
      case "not_found":
        return details(c, 404, MESSAGES.notFound);
      case "restricted_type_forbidden":
        c.set("securityEvent", "authz_fail");
        return details(c, 403, forbiddenMessage(["restricted_type"]));
      case "precondition_failed":
        return details(c, 412, MESSAGES.preconditionFailed);
      case "invalid":
        return fieldErrors(c, storedDataErrors(outcome.problems, c.var.body));
    }
  },
);
