import { Hono } from "hono";
import { authenticate } from "../auth/authenticate";
import { requireGdprAccess } from "../auth/require-gdpr-access";
import { requireScope } from "../auth/require-scope";
import { deleteCustomer as erase } from "../db/delete-customer";
import type { AppEnv } from "../env";
import { details, MESSAGES } from "../http/errors";
import { ifMatchHeader } from "../http/etag";
import { customerIdParam } from "./id-param";

/** DELETE /api/v2/customers/{id}/ — GDPR erasure: 204, the row gone, the audit trail keeps ids only. */
export const deleteCustomer = new Hono<AppEnv>().delete(
  "/:id",
  authenticate,
  requireScope("customers:write"),
  requireGdprAccess("normal"),
  customerIdParam,
  ifMatchHeader,
  async (c) => {
    const outcome = await erase(c.var.db, {
      id: c.req.valid("param").id,
      consumer: c.var.consumer!,
      requestId: c.var.requestId,
      ifMatch: c.var.ifMatch,
    });
    if (outcome === "not_found") return details(c, 404, MESSAGES.notFound);
    if (outcome === "precondition_failed") {
      return details(c, 412, MESSAGES.preconditionFailed);
    }
    c.set("securityEvent", "sensitive_update");
    return c.body(null, 204);
  },
);
