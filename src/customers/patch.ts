import { Hono } from "hono";
import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { updateCustomer } from "../db/update-customer";
import type { AppEnv } from "../env";
import { ifMatchHeader } from "../http/etag";
import { bodyLimit, jsonObjectBody, MAX_BODY_BYTES } from "../http/json-body";
import { guardProtectedFields, validPatch } from "./body";
import { PROTECTED_FIELDS, viewerOf } from "./gdpr";
import { customerIdParam } from "./id-param";
import { refusalResponse } from "./outcome";
import { customerResponse } from "./response";

/** PATCH /api/v2/customers/{id}/ — update partial customer data. */
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
      viewer: viewerOf(c.var.consumer),
      requestId: c.var.requestId,
      ifMatch: c.var.ifMatch,
    });
    switch (outcome.status) {
      case "updated":
        if (outcome.changedFields.some((field) => PROTECTED_FIELDS.has(field))) c.set("securityEvent", "sensitive_update");
        return customerResponse(c, outcome.customer);
      case "unchanged":
        return customerResponse(c, outcome.customer);
      default:
        return refusalResponse(c, outcome, c.var.body);
    }
  },
);
