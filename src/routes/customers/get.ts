import { customerIdParams } from "../../customers/fields";
import { customerAnswer, versionFor, viewerOf } from "../../customers/gdpr";
import { customerResponse } from "../../customers/response";
import { findCustomer } from "../../db/list-customers";
import { errorAnswer } from "../../http/errors";
import { etag, matchesIfNoneMatch } from "../../http/etag";
import { DETAILS } from "../../http/messages";
import { operation } from "../operation";

/** GET /api/v2/customers/{id}/ — one customer, with its ETag; 304 when If-None-Match holds it. */
export const getCustomerRoute = operation(
  {
    method: "get",
    path: "/api/v2/customers/{id}/",
    operationId: "getCustomer",
    summary: "Read a customer",
    description: "One customer, with its ETag; 304 when `If-None-Match` holds it.",
    access: { scope: "customers:read" },
    params: customerIdParams,
    headers: ["If-None-Match"],
    answers: {
      200: { description: "The customer.", body: customerAnswer, headers: ["ETag"] },
      304: { description: "Not modified since the ETag given in If-None-Match.", headers: ["ETag"] },
      404: "NotFound",
    },
  },
  async function getCustomer(c) {
    const customer = await findCustomer(c.var.db, c.req.valid("param").id, viewerOf(c.var.consumer));
    if (!customer) return errorAnswer(c, 404, DETAILS.notFound);
    const version = versionFor(customer, c.var.consumer);
    if (matchesIfNoneMatch(c.req.header("If-None-Match"), version)) return c.body(null, 304, { ETag: etag(version) });
    return customerResponse(c, customer);
  },
);
