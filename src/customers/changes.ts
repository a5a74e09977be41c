import { Hono } from "hono";
import * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireGdprAccess } from "../auth/require-gdpr-access";
import { requireScope } from "../auth/require-scope";
import { listChanges } from "../db/changes";
import type { CustomerChange } from "../db/schema";
import type { AppEnv } from "../env";
import { details, MESSAGES } from "../http/errors";
import { pageParams, paginated } from "../http/pagination";
import { validQuery } from "../http/query-params";
import { viewerOf } from "./gdpr";
import { customerIdParam } from "./id-param";

/** An audit entry as the API shows it: ids, time, action and field names, never values. */
export const changeView = (change: CustomerChange) => ({
  id: change.id,
  customer: change.customer_id,
  consumer: change.consumer_id,
  request_id: change.request_id,
  at: change.at,
  action: change.action,
  fields: JSON.parse(change.fields) as string[],
});

/** GET /api/v2/customers/{id}/changes/ — the customer's audit trail, newest first. */
export const customerChanges = new Hono<AppEnv>().get(
  "/:id/changes",
  authenticate,
  requireScope("customers:read"),
  requireGdprAccess("normal"),
  customerIdParam,
  validQuery(z.object(pageParams)),
  async (c) => {
    const page = c.req.valid("query");
    const trail = await listChanges(c.var.db, c.req.valid("param").id, viewerOf(c.var.consumer), page);
    if (!trail) return details(c, 404, MESSAGES.notFound);
    return c.json(paginated(c.req.url, page, trail.count, trail.changes.map(changeView)));
  },
);
