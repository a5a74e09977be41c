import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { findCustomer } from "../db/list-customers";
import { details, MESSAGES } from "../http/errors";
import { etag, matchesIfNoneMatch } from "../http/etag";
import { createRouter } from "../http/router";
import {
  answer,
  COMMON_PARAMETERS,
  CUSTOMER_ID,
  EXAMPLE_CUSTOMER,
  empty,
  errors,
  type Operation,
  protectedNote,
  ref,
} from "../openapi/components";
import { versionFor, viewerOf } from "./gdpr";
import { customerIdParam } from "./id-param";
import { customerResponse } from "./response";

/** GET /api/v2/customers/{id}/ — one customer, with its ETag; 304 when If-None-Match holds it. */
export const getCustomer = createRouter().get("/:id", authenticate, requireScope("customers:read"), customerIdParam, async (c) => {
  const customer = await findCustomer(c.var.db, c.req.valid("param").id, viewerOf(c.var.consumer));
  if (!customer) return details(c, 404, MESSAGES.notFound);
  const version = versionFor(customer, c.var.consumer);
  if (matchesIfNoneMatch(c.req.header("If-None-Match"), version)) {
    return c.body(null, 304, { ETag: etag(version) });
  }
  return customerResponse(c, customer);
});

/** GET /api/v2/customers/{id}/ as the OpenAPI document describes it. */
export const getCustomerOperation = (): Operation => ({
  method: "get",
  path: "/api/v2/customers/{id}/",
  spec: {
    operationId: "getCustomer",
    tags: ["customers"],
    summary: "Read a customer",
    description: `Needs \`customers:read\`. ${protectedNote()}`,
    parameters: [CUSTOMER_ID, ref("parameters", "IfNoneMatch"), ...COMMON_PARAMETERS],
    responses: {
      "200": answer("The customer.", ref("schemas", "Customer"), EXAMPLE_CUSTOMER, "ETag"),
      "304": empty("Not modified since the ETag given in If-None-Match.", "ETag"),
      ...errors("Forbidden", "NotFound"),
    },
  },
});
