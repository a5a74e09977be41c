import { customerIdParams } from "../../customers/fields";
import { viewerOf } from "../../customers/gdpr";
import { eraseCustomer } from "../../db/erase-customer";
import { errorAnswer } from "../../http/errors";
import { DETAILS } from "../../http/messages";
import { operation } from "../operation";

/** DELETE /api/v2/customers/{id}/ — GDPR erasure: 204, the row gone, the audit trail keeps ids only. */
export const deleteCustomerRoute = operation(
  {
    method: "delete",
    path: "/api/v2/customers/{id}/",
    operationId: "eraseCustomer",
    summary: "Erase a customer (GDPR)",
    description: "The row is removed and the person's data overwritten where it lay; its audit trail keeps only ids and field names.",
    access: { scope: "customers:write", gdpr: "normal" },
    params: customerIdParams,
    headers: ["If-Match"],
    answers: { 204: { description: "Erased." }, 404: "NotFound", 412: "PreconditionFailed" },
  },
  async function deleteCustomer(c) {
    const outcome = await eraseCustomer(c.var.db, {
      id: c.req.valid("param").id,
      viewer: viewerOf(c.var.consumer),
      requestId: c.var.requestId,
      ifMatch: c.var.ifMatch,
    });
    switch (outcome.status) {
      case "erased":
        c.set("securityEvent", "sensitive_update");
        return c.body(null, 204);
      case "not_found":
        return errorAnswer(c, 404, DETAILS.notFound);
      case "precondition_failed":
        return errorAnswer(c, 412, DETAILS.preconditionFailed);
    }
  },
);
