import * as z from "zod/mini";
import { changeFeed } from "../db/changes";
import type { Access } from "../db/consumers";
import type { Db } from "../db/engine/database";
import type { Viewer } from "../db/visibility";
import { cursorsFor, type SealingKeys } from "../http/seal";
import { queryInteger, queryString } from "../validation/query";
import { changeEntry, entryView } from "./entries";

// Where a consumer is in the change feed: a position sealed for it alone (src/http/seal.ts), which the
// feed's `next`, the first page of a cursor-mode list (`changes`) and each webhook delivery carry; and
// a page of the feed as the consumer sees it, polled (GET /api/v2/changes/) or pushed (src/webhooks/).

/** What reading the feed needs of a consumer, polled or pushed. */
export const FEED_ACCESS: Access = { scope: "customers:read", gdpr: "normal" };

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

/** A page of the feed: the entries, and where to resume after them. */
export const feedPage = z.strictObject({
  next: z.url().register(z.globalRegistry, { maxLength: 2048 }),
  results: z.array(changeEntry).check(z.maxLength(FEED_MAX_LIMIT)),
});

/**
 * The page of `limit` entries of the feed after `position` that `viewer` is shown, its `next` (pages of
 * `nextLimit`) on the API at `apiUrl`, and the position after its last entry.
 */
export async function feedPageAfter(
  db: Db,
  sealing: SealingKeys,
  {
    viewer,
    position,
    limit,
    nextLimit = limit,
    apiUrl,
  }: { viewer: Viewer; position: number; limit: number; nextLimit?: number; apiUrl: string },
): Promise<{ page: z.output<typeof feedPage>; last: number }> {
  const entries = await changeFeed(db, viewer, position, limit);
  const last = entries.at(-1)?.id ?? position;
  const next = feedUrl(apiUrl, await feedCursors(sealing, viewer.consumerId).seal(last), nextLimit);
  return { page: { next, results: entries.map((entry) => entryView(entry, viewer)) }, last };
}
