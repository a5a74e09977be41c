import * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireGdprAccess } from "../auth/require-gdpr-access";
import { requireScope } from "../auth/require-scope";
import { changeFeed } from "../db/changes";
import { type CursorSecrets, cursorsFor } from "../http/cursor";
import { details, MESSAGES } from "../http/errors";
import { methodNotAllowed } from "../http/method-not-allowed";
import { validQuery } from "../http/query-params";
import { createRouter } from "../http/router";
import {
  answer,
  badQuery,
  COMMON_PARAMETERS,
  EXAMPLE_ENTRY,
  EXAMPLE_FEED_URL,
  errors,
  invalidCursor,
  type Operation,
  queryParameters,
  ref,
  text,
} from "../openapi/components";
import { queryInteger, queryString } from "../validation/query";
import { entryView } from "./entries";
import { viewerOf } from "./gdpr";

export const FEED_DEFAULT_LIMIT = 100;
export const FEED_MAX_LIMIT = 1000;

export const feedParams = z.object({
  after: z.optional(queryString(200)),
  limit: z._default(z.optional(queryInteger(1, FEED_MAX_LIMIT)), FEED_DEFAULT_LIMIT),
});

/** The feed's cursors of a consumer: each seals the position after the last entry it has read. */
export const feedCursors = (secrets: CursorSecrets, consumerId: number) => cursorsFor(secrets, `feed:${consumerId}`, z.int());

/** The feed's URL at a position (sealed for the consumer), as `next` names it. */
export async function feedUrl(requestUrl: string, cursor: string, limit = FEED_DEFAULT_LIMIT) {
  const url = new URL("/api/v2/changes/", requestUrl);
  url.searchParams.set("after", cursor);
  url.searchParams.set("limit", String(limit));
  return url.href;
}

/**
 * GET /api/v2/changes/ — every audit entry of every customer the consumer may see, oldest first, for
 * integrations that keep a copy in sync. `next` is always given: the place after the last entry, to
 * store and poll later; a page shorter than `limit` means the copy has caught up.
 */
export const changes = createRouter()
  .get("/", authenticate, requireScope("customers:read"), requireGdprAccess("normal"), validQuery(feedParams), async (c) => {
    const { after, limit } = c.req.valid("query");
    const viewer = viewerOf(c.var.consumer);
    const cursors = feedCursors(c.env, viewer.consumerId);
    const position = after === undefined ? 0 : await cursors.open(after);
    if (position === undefined) return details(c, 404, MESSAGES.invalidCursor);
    const entries = await changeFeed(c.var.db, viewer, position, limit);
    const next = await feedUrl(c.req.url, await cursors.seal(entries.at(-1)?.id ?? position), limit);
    return c.json({ next, results: entries.map((entry) => entryView(entry, viewer)) });
  })
  // Any other method is 405, after authentication as in DRF.
  .all("/", authenticate, methodNotAllowed(["GET", "HEAD"]));

/** GET /api/v2/changes/ as the OpenAPI document describes it. */
export const changesOperation = (): Operation => ({
  method: "get",
  path: "/api/v2/changes/",
  spec: {
    operationId: "changeFeed",
    tags: ["customers"],
    summary: "The change feed",
    description:
      "Every audit entry of every customer this consumer may see, oldest first, for a copy kept in sync; an entry is its customer's and its number in that customer's trail. `next` is always given: store it and poll it later; a page shorter than `limit` has caught up. An erasure is a `delete` entry with ids only; for a consumer without GDPR access `extended`, a customer that becomes hidden appears as an erasure and one that reappears as a creation. Needs `customers:read` and GDPR access `normal`.",
    parameters: [
      ...queryParameters(feedParams.shape, {
        after: "Where to resume: the `after` of an earlier page's `next` (an opaque cursor, valid for 30 days).",
        limit: "How many entries.",
      }),
      ...COMMON_PARAMETERS,
    ],
    responses: {
      "200": answer(
        "A page of the feed.",
        {
          type: "object",
          properties: {
            next: text(2048, { format: "uri" }),
            results: { type: "array", maxItems: FEED_MAX_LIMIT, items: ref("schemas", "Change") },
          },
          required: ["next", "results"],
          additionalProperties: false,
        },
        { next: EXAMPLE_FEED_URL, results: [EXAMPLE_ENTRY] },
      ),
      "400": badQuery({ limit: ["Ensure this value is less than or equal to 1000."] }),
      "404": invalidCursor("A cursor that is not one of this consumer's feed, or older than 30 days."),
      ...errors("Forbidden"),
    },
  },
});
