import { Hono } from "hono";
import * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireGdprAccess } from "../auth/require-gdpr-access";
import { requireScope } from "../auth/require-scope";
import { changeFeed } from "../db/changes";
import type { CustomerChange } from "../db/schema";
import type { AppEnv } from "../env";
import { idCursor } from "../http/cursor";
import { details } from "../http/errors";
import { methodNotAllowed } from "../http/method-not-allowed";
import { validQuery } from "../http/query-params";
import { queryInteger, queryString } from "../validation/query";
import { changeView } from "./changes";
import { viewerOf } from "./gdpr";

export const FEED_DEFAULT_LIMIT = 100;
export const FEED_MAX_LIMIT = 1000;

export const feedParams = z.object({
  after: z.optional(queryString(100)),
  limit: z._default(z.optional(queryInteger(1, FEED_MAX_LIMIT)), FEED_DEFAULT_LIMIT),
});

// The cursor is the id of the last entry seen.
const feedCursor = idCursor("c");

/**
 * An audit entry as the feed shows it. For a viewer that does not see hidden customers, a customer
 * that becomes hidden appears exactly as an erasure, and one that becomes visible again as a creation.
 * An erasure carries ids only: no consumer, request or fields.
 */
function feedEntry(change: CustomerChange, seesHidden: boolean) {
  const becameHidden = !seesHidden && change.hidden_after && !change.hidden_before;
  const reappeared = !seesHidden && change.hidden_before && !change.hidden_after;
  const action = becameHidden ? "delete" : reappeared ? "create" : change.action;
  const entry = { ...changeView(change), action };
  return action === "delete" ? { ...entry, consumer: null, request_id: null, fields: [] } : entry;
}

/**
 * GET /api/v2/changes/ — every audit entry of every customer the consumer may see, oldest first, for
 * integrations that keep a copy in sync. `next` is always given: the place after the last entry, to
 * store and poll later; a page shorter than `limit` means the copy has caught up.
 */
export const changes = new Hono<AppEnv>()
  .get("/", authenticate, requireScope("customers:read"), requireGdprAccess("normal"), validQuery(feedParams), async (c) => {
    const { after, limit } = c.req.valid("query");
    const afterId = after === undefined ? 0 : feedCursor.decode(after);
    if (afterId === undefined) return details(c, 404, "Invalid cursor");
    const viewer = viewerOf(c.var.consumer);
    const entries = await changeFeed(c.var.db, viewer, afterId, limit);
    const next = new URL(c.req.url);
    next.searchParams.set("after", feedCursor.encode(entries.at(-1)?.id ?? afterId));
    next.searchParams.set("limit", String(limit));
    return c.json({ next: next.href, results: entries.map((entry) => feedEntry(entry, viewer.seesHidden)) });
  })
  // Any other method is 405, after authentication as in DRF.
  .all("/", authenticate, methodNotAllowed(["GET", "HEAD"]));
