import { Hono } from "hono";
import * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireGdprAccess } from "../auth/require-gdpr-access";
import { requireScope } from "../auth/require-scope";
import { listChanges, trailPage } from "../db/changes";
import type { CustomerChange } from "../db/schema";
import type { AppEnv } from "../env";
import { idCursor } from "../http/cursor";
import { details, MESSAGES } from "../http/errors";
import { cursorPaginated, cursorParams, pageParams, paginated } from "../http/pagination";
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

// A trail's cursor is the id of the last (oldest) entry served: entries never move, so it is exact.
const trailCursor = idCursor("t");

/**
 * GET /api/v2/customers/{id}/changes/ — the customer's audit trail, newest first; paged by `offset`
 * with a count, or in cursor mode, which reads only its page however deep.
 */
export const customerChanges = new Hono<AppEnv>().get(
  "/:id/changes",
  authenticate,
  requireScope("customers:read"),
  requireGdprAccess("normal"),
  customerIdParam,
  validQuery(z.object({ ...pageParams, ...cursorParams })),
  async (c) => {
    const { limit, offset, pagination, cursor } = c.req.valid("query");
    const id = c.req.valid("param").id;
    const viewer = viewerOf(c.var.consumer);
    if (pagination === "cursor" || cursor !== undefined) {
      const before = cursor === undefined ? undefined : trailCursor.decode(cursor);
      if (cursor !== undefined && before === undefined) return details(c, 404, "Invalid cursor");
      const page = await trailPage(c.var.db, id, viewer, before, limit);
      if (!page) return details(c, 404, MESSAGES.notFound);
      const next = page.more ? trailCursor.encode(page.changes.at(-1)!.id) : null;
      return c.json(cursorPaginated(c.req.url, next, page.changes.map(changeView)));
    }
    const trail = await listChanges(c.var.db, id, viewer, { limit, offset });
    if (!trail) return details(c, 404, MESSAGES.notFound);
    return c.json(paginated(c.req.url, { limit, offset }, trail.count, trail.changes.map(changeView)));
  },
);
