import * as z from "zod/mini";
import { changeEntry, entryView } from "../../customers/entries";
import { customerIdParams } from "../../customers/fields";
import { viewerOf } from "../../customers/gdpr";
import { customerTrail, trailPage } from "../../db/changes";
import { errorAnswer } from "../../http/errors";
import { DETAILS } from "../../http/messages";
import { cursorPageOf, cursorPaginated, cursorParams, pageOf, pageParams, paginated } from "../../http/pagination";
import { cursorsFor } from "../../http/seal";
import { badQuery, type OperationContext, operation } from "../operation";

export const changePage = pageOf(changeEntry);
export const changeCursorPage = cursorPageOf(changeEntry);

const spec = {
  method: "get",
  path: "/api/v2/customers/{id}/changes/",
  operationId: "listCustomerChanges",
  summary: "The customer's audit trail",
  description:
    "Newest first, paged like the list: who, which request, when, which action and which fields; never values. An entry's `id` is its number in this trail.",
  access: { scope: "customers:read", gdpr: "normal" },
  params: customerIdParams,
  query: z.object({ ...pageParams, ...cursorParams }),
  answers: {
    200: {
      description:
        "A page of the audit trail: counted (offset mode), or of cursor mode (`pagination=cursor`), which reads only its page however deep.",
      body: z.union([changePage, changeCursorPage]),
    },
    400: badQuery({ limit: ["Ensure this value is less than or equal to 500."] }),
    404: "NotFound",
  },
} as const;

/** Cursor mode: the cursor names the last (oldest) entry served; entries never move, so it is exact. */
async function cursorMode(c: OperationContext<typeof spec>) {
  const { limit, cursor } = c.req.valid("query");
  const id = c.req.valid("param").id;
  const viewer = viewerOf(c.var.consumer);
  const cursors = cursorsFor(c.env, `trail:${viewer.consumerId}:${id}`, z.int());
  const before = cursor === undefined ? undefined : await cursors.open(cursor);
  if (cursor !== undefined && before === undefined) return errorAnswer(c, 404, DETAILS.invalidCursor);
  const page = await trailPage(c.var.db, id, viewer, before, limit);
  if (!page) return errorAnswer(c, 404, DETAILS.notFound);
  const next = page.more ? await cursors.seal(page.entries.at(-1)!.id) : null;
  return c.json(
    cursorPaginated(
      c.req.url,
      next,
      page.entries.map((entry) => entryView(entry, viewer)),
    ),
  );
}

/**
 * GET /api/v2/customers/{id}/changes/ — the customer's audit trail, newest first; paged by `offset`
 * with a count, or in cursor mode, which reads only its page however deep.
 */
export const customerTrailRoute = operation(spec, async function getCustomerTrail(c) {
  const { limit, offset, pagination, cursor } = c.req.valid("query");
  if (pagination === "cursor" || cursor !== undefined) return cursorMode(c);
  const viewer = viewerOf(c.var.consumer);
  const trail = await customerTrail(c.var.db, c.req.valid("param").id, viewer, { limit, offset });
  if (!trail) return errorAnswer(c, 404, DETAILS.notFound);
  return c.json(
    paginated(
      c.req.url,
      { limit, offset },
      trail.count,
      trail.entries.map((entry) => entryView(entry, viewer)),
    ),
  );
});
