import { Hono } from "hono";
import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { findCustomer } from "../db/customers";
import type { AppEnv } from "../env";
import { details, MESSAGES } from "../http/errors";
import { etag, matchesIfNoneMatch } from "../http/etag";
import { viewerOf } from "./gdpr";
import { customerIdParam } from "./id-param";
import { customerResponse } from "./response";

/** GET /api/v2/customers/{id}/ — one customer, with its ETag; 304 when If-None-Match holds it. */
export const getCustomer = new Hono<AppEnv>().get("/:id", authenticate, requireScope("customers:read"), customerIdParam, async (c) => {
  const customer = await findCustomer(c.var.db, c.req.valid("param").id, viewerOf(c.var.consumer));
  if (!customer) return details(c, 404, MESSAGES.notFound);
  if (matchesIfNoneMatch(c.req.header("If-None-Match"), customer.version)) {
    return c.body(null, 304, { ETag: etag(customer.version) });
  }
  return customerResponse(c, customer);
});
