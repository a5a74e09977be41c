import { Hono } from "hono";
import { authenticate } from "../auth/authenticate";
import { requireGdprAccess } from "../auth/require-gdpr-access";
import { requireScope } from "../auth/require-scope";
import { deleteCustomer as erase } from "../db/delete-customer";
import type { AppEnv } from "../env";
import { ifMatchHeader } from "../http/etag";
import { viewerOf } from "./gdpr";
import { customerIdParam } from "./id-param";
import { refusalResponse } from "./outcome";

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
      viewer: viewerOf(c.var.consumer),
      requestId: c.var.requestId,
      ifMatch: c.var.ifMatch,
    });
    switch (outcome.status) {
      case "deleted":
        c.set("securityEvent", "sensitive_update");
        return c.body(null, 204);
      default:
        return refusalResponse(c, outcome);
    }
  },
);
