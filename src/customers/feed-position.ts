import * as z from "zod/mini";
import { cursorsFor, type SealingKeys } from "../http/seal";
import { queryInteger, queryString } from "../validation/query";

// Where a consumer is in the change feed: a position sealed for it alone (src/http/seal.ts), which the
// feed's `next` and the first page of a cursor-mode list (`changes`) carry.

const FEED_DEFAULT_LIMIT = 100;
export const FEED_MAX_LIMIT = 1000;

export const feedParams = z.object({
  after: z.optional(queryString(200)).register(z.globalRegistry, {
    description: "Where to resume: the `after` of an earlier page's `next` (an opaque cursor, valid for 30 days).",
  }),
  limit: z
    ._default(z.optional(queryInteger(1, FEED_MAX_LIMIT)), FEED_DEFAULT_LIMIT)
    .register(z.globalRegistry, { description: "How many entries." }),
});

/** The feed's cursors of a consumer: each seals the position after the last entry it has read. */
export const feedCursors = (sealing: SealingKeys, consumerId: number) => cursorsFor(sealing, `feed:${consumerId}`, z.int());

/** The feed's URL at a position (sealed for the consumer), as `next` names it. */
export function feedUrl(requestUrl: string, cursor: string, limit = FEED_DEFAULT_LIMIT) {
  const url = new URL("/api/v2/changes/", requestUrl);
  url.searchParams.set("after", cursor);
  url.searchParams.set("limit", String(limit));
  return url.href;
}
