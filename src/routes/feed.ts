import { FEED_ACCESS, feedCursors, feedPage, feedPageAfter, feedParams } from "../customers/feed-position";
import { viewerOf } from "../customers/gdpr";
import { errorAnswer, errorBody } from "../http/errors";
import { DETAILS } from "../http/messages";
import { badQuery, operation } from "./operation";

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
    access: FEED_ACCESS,
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
    const position = after === undefined ? 0 : await feedCursors(c.env, viewer.consumerId).open(after);
    if (position === undefined) return errorAnswer(c, 404, DETAILS.invalidCursor);
    const { page } = await feedPageAfter(c.var.db, c.env, { viewer, position, limit, apiUrl: c.req.url });
    return c.json(page);
  },
);
