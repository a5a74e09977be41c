import * as z from "zod/mini";
import { changeEntry, entryView } from "../customers/entries";
import { FEED_MAX_LIMIT, feedCursors, feedParams, feedUrl } from "../customers/feed-position";
import { viewerOf } from "../customers/gdpr";
import { changeFeed } from "../db/changes";
import { errorAnswer, errorBody } from "../http/errors";
import { DETAILS } from "../http/messages";
import { badQuery, operation } from "./operation";

export const feedPage = z.strictObject({
  next: z.url().register(z.globalRegistry, { maxLength: 2048 }),
  results: z.array(changeEntry).check(z.maxLength(FEED_MAX_LIMIT)),
});

/**
 * GET /api/v2/changes/ — every audit entry of every customer the consumer may see, oldest first, for
 * integrations that keep a copy in sync. `next` is always given: the place after the last entry, to
 * store and poll later; a page shorter than `limit` means the copy has caught up.
 */
export const changeFeedRoute = operation(
  {
    method: "get",
    path: "/api/v2/changes/",
    operationId: "changeFeed",
    summary: "The change feed",
    description:
      "Every audit entry of every customer this consumer may see, oldest first, for a copy kept in sync; an entry is its customer's and its number in that customer's trail. `next` is always given: store it and poll it later; a page shorter than `limit` has caught up. An erasure is a `delete` entry with ids only; for a consumer without GDPR access `extended`, a customer that becomes hidden appears as an erasure and one that reappears as a creation.",
    access: { scope: "customers:read", gdpr: "normal" },
    query: feedParams,
    answers: {
      200: { description: "A page of the feed.", body: feedPage },
      400: badQuery({ limit: ["Ensure this value is less than or equal to 1000."] }),
      404: {
        description: "A cursor that is not one of this consumer's feed, or older than 30 days.",
        body: errorBody,
        example: { details: DETAILS.invalidCursor },
      },
    },
  },
  async function getChangeFeed(c) {
    const { after, limit } = c.req.valid("query");
    const viewer = viewerOf(c.var.consumer);
    const cursors = feedCursors(c.env, viewer.consumerId);
    const position = after === undefined ? 0 : await cursors.open(after);
    if (position === undefined) return errorAnswer(c, 404, DETAILS.invalidCursor);
    const entries = await changeFeed(c.var.db, viewer, position, limit);
    const next = feedUrl(c.req.url, await cursors.seal(entries.at(-1)?.id ?? position), limit);
    return c.json({ next, results: entries.map((entry) => entryView(entry, viewer)) });
  },
);
