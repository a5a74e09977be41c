import { authenticate } from "../auth/authenticate";
import { requireGdprAccess } from "../auth/require-gdpr-access";
import { requireScope } from "../auth/require-scope";
import { deleteCustomer as erase } from "../db/delete-customer";
import { details, MESSAGES } from "../http/errors";
import { ifMatchHeader } from "../http/etag";
import { createRouter } from "../http/router";
import { COMMON_PARAMETERS, CUSTOMER_ID, empty, errors, type Operation, ref } from "../openapi/components";
import { viewerOf } from "./gdpr";
import { customerIdParam } from "./id-param";

/** DELETE /api/v2/customers/{id}/ — GDPR erasure: 204, the row gone, the audit trail keeps ids only. */
export const deleteCustomer = createRouter().delete(
  "/:id",
  authenticate,
  requireScope("customers:write"),
  requireGdprAccess("normal"),
  customerIdParam,
  ifMatchHeader,
  async (c) => {
    const outcome = await erase(c.var.db, {
      id: c.req.valid("param").id,
      viewer: viewerOf(c.var.consumer),
      requestId: c.var.requestId,
      ifMatch: c.var.ifMatch,
    });
    switch (outcome.status) {
      case "deleted":
        c.set("securityEvent", "sensitive_update");
        return c.body(null, 204);
      case "not_found":
        return details(c, 404, MESSAGES.notFound);
      case "precondition_failed":
        return details(c, 412, MESSAGES.preconditionFailed);
    }
  },
);

/** DELETE /api/v2/customers/{id}/ as the OpenAPI document describes it. */
export const deleteCustomerOperation = (): Operation => ({
  method: "delete",
  path: "/api/v2/customers/{id}/",
  spec: {
    operationId: "eraseCustomer",
    tags: ["customers"],
    summary: "Erase a customer (GDPR)",
    description:
      "The row is removed and the person's data overwritten where it lay; its audit trail keeps only ids and field names. Needs `customers:write` and GDPR access `normal`.",
    parameters: [CUSTOMER_ID, ref("parameters", "IfMatch"), ...COMMON_PARAMETERS],
    responses: { "204": empty("Erased."), ...errors("Forbidden", "NotFound", "PreconditionFailed") },
  },
});
