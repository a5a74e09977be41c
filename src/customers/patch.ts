import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { updateCustomers } from "../db/update-customers";
import { ifMatchHeader } from "../http/etag";
import { bodyLimit, jsonObjectBody, MAX_BODY_BYTES } from "../http/json-body";
import { createRouter } from "../http/router";
import {
  answer,
  body,
  COMMON_PARAMETERS,
  CUSTOMER_ID,
  EXAMPLE_CUSTOMER,
  empty,
  errors,
  type Operation,
  ref,
  tooLarge,
  writeOnly,
} from "../openapi/components";
import { guardProtectedFields, validPatch } from "./body";
import { viewerOf } from "./gdpr";
import { customerIdParam } from "./id-param";
import { customerResponse, noteSensitiveUpdate } from "./response";
import { refusedWrite } from "./write-errors";

/** PATCH /api/v2/customers/{id}/ — update partial customer data: the bulk update of one item. */
export const patchCustomer = createRouter().patch(
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
    const id = c.req.valid("param").id;
    const outcome = await updateCustomers(c.var.db, {
      items: [{ id, changes, ifMatch: c.var.ifMatch }],
      viewer: viewerOf(c.var.consumer),
      requestId: c.var.requestId,
    });
    switch (outcome.status) {
      case "updated":
        noteSensitiveUpdate(c, outcome.changedFields);
        return customerResponse(c, outcome.customers[0]!);
      case "refused":
        return refusedWrite(c, outcome.items[0]!, c.var.body, id);
    }
  },
);

/** PATCH /api/v2/customers/{id}/ as the OpenAPI document describes it. */
export const patchCustomerOperation = (): Operation => ({
  method: "patch",
  path: "/api/v2/customers/{id}/",
  spec: {
    operationId: "updateCustomer",
    tags: ["customers"],
    summary: "Update partial customer data",
    description:
      "Only the fields given change; `null` clears a nullable field (JSON Merge Patch for a flat object). The change is applied in the database itself with its audit row, in one atomic batch and one D1 round trip; `{}` or unchanged values write nothing. `id` and `modified` are read-only and ignored. Needs `customers:write`; personal data and `restricted_type` need GDPR access.",
    parameters: [CUSTOMER_ID, ref("parameters", "IfMatch"), ...COMMON_PARAMETERS],
    requestBody: body("CustomerPatch", "Any subset of the writable fields.", { note: "Meter moved to the cellar" }),
    responses: {
      "200": answer(
        "The whole customer after the change.",
        ref("schemas", "Customer"),
        { ...EXAMPLE_CUSTOMER, note: "Meter moved to the cellar" },
        "ETag",
      ),
      "204": empty(`Done, ${writeOnly}.`, "ETag"),
      "413": tooLarge(MAX_BODY_BYTES),
      ...errors("ValidationError", "Forbidden", "NotFound", "PreconditionFailed", "UnsupportedMediaType"),
    },
  },
});
