import { guardProtectedFields, parseBody } from "../../customers/body";
import { changesOf, customerIdParams, customerPatch } from "../../customers/fields";
import { customerAnswer, viewerOf } from "../../customers/gdpr";
import { invalidBody, refusedWrite } from "../../customers/refusals";
import { customerResponse, noteSensitiveUpdate, readsCustomers } from "../../customers/response";
import { updateCustomers } from "../../db/update-customers";
import { MAX_BODY_BYTES } from "../../http/json-body";
import { operation } from "../operation";

/** PATCH /api/v2/customers/{id}/ — update partial customer data: the bulk update of one item. */
export const patchCustomerRoute = operation(
  {
    method: "patch",
    path: "/api/v2/customers/{id}/",
    operationId: "updateCustomer",
    summary: "Update partial customer data",
    description:
      "Only the fields given change; `null` clears a nullable field (JSON Merge Patch for a flat object). The change is applied in the database itself with its audit row, in one atomic batch; `{}` or unchanged values write nothing. `id` and `modified` are read-only and ignored. Personal data and `restricted_type` need GDPR access.",
    access: { scope: "customers:write" },
    params: customerIdParams,
    headers: ["If-Match"],
    body: {
      shape: "object",
      maxBytes: MAX_BODY_BYTES,
      schema: customerPatch,
      description: "Any subset of the writable fields.",
      example: { note: "Meter moved to the cellar" },
    },
    answers: {
      200: { description: "The whole customer after the change.", body: customerAnswer, headers: ["ETag"] },
      204: { description: "Done, for a consumer without `customers:read`, which never receives a customer's data nor its version." },
      400: "ValidationError",
      404: "NotFound",
      412: "PreconditionFailed",
    },
  },
  guardProtectedFields,
  async function patchCustomer(c) {
    const id = c.req.valid("param").id;
    const parsed = parseBody(customerPatch, c.var.body);
    if (!parsed.valid) return invalidBody(c, parsed, id);
    const outcome = await updateCustomers(c.var.db, {
      items: [{ id, changes: changesOf(parsed.data), ifMatch: c.var.ifMatch }],
      viewer: viewerOf(c.var.consumer),
      requestId: c.var.requestId,
      // A consumer without customers:read is answered 204 alike whether its values changed anything.
      returning: readsCustomers(c.var.consumer),
    });
    switch (outcome.status) {
      case "updated":
        noteSensitiveUpdate(c, outcome.changedFields);
        return customerResponse(c, outcome.customers[0]);
      case "refused":
        return refusedWrite(c, outcome.items[0]!, c.var.body, id);
    }
  },
);
