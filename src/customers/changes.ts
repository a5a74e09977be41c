import * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireGdprAccess } from "../auth/require-gdpr-access";
import { requireScope } from "../auth/require-scope";
import { listChanges, trailPage } from "../db/changes";
import { cursorsFor } from "../http/cursor";
import { details, MESSAGES } from "../http/errors";
import { cursorPaginated, cursorParams, pageParams, paginated } from "../http/pagination";
import { validQuery } from "../http/query-params";
import { createRouter } from "../http/router";
import {
  answerOfShapes,
  badQuery,
  COMMON_PARAMETERS,
  CUSTOMER_ID,
  EXAMPLE_ENTRY,
  errors,
  type Operation,
  PAGE_DESCRIPTIONS,
  queryParameters,
  ref,
} from "../openapi/components";
import { entryView } from "./entries";
import { viewerOf } from "./gdpr";
import { customerIdParam } from "./id-param";

const trailParams = z.object({ ...pageParams, ...cursorParams });

/**
 * GET /api/v2/customers/{id}/changes/ — the customer's audit trail, newest first; paged by `offset`
 * with a count, or in cursor mode, which reads only its page however deep.
 */
export const customerChanges = createRouter().get(
  "/:id/changes",
  authenticate,
  requireScope("customers:read"),
  requireGdprAccess("normal"),
  customerIdParam,
  validQuery(trailParams),
  async (c) => {
    const { limit, offset, pagination, cursor } = c.req.valid("query");
    const id = c.req.valid("param").id;
    const viewer = viewerOf(c.var.consumer);
    if (pagination === "cursor" || cursor !== undefined) {
      // The cursor names the last (oldest) entry served: entries never move, so it is exact.
      const cursors = cursorsFor(c.env, `trail:${viewer.consumerId}:${id}`, z.int());
      const before = cursor === undefined ? undefined : await cursors.open(cursor);
      if (cursor !== undefined && before === undefined) return details(c, 404, MESSAGES.invalidCursor);
      const page = await trailPage(c.var.db, id, viewer, before, limit);
      if (!page) return details(c, 404, MESSAGES.notFound);
      const next = page.more ? await cursors.seal(page.entries.at(-1)!.id) : null;
      return c.json(
        cursorPaginated(
          c.req.url,
          next,
          page.entries.map((entry) => entryView(entry, viewer)),
        ),
      );
    }
    const trail = await listChanges(c.var.db, id, viewer, { limit, offset });
    if (!trail) return details(c, 404, MESSAGES.notFound);
    return c.json(
      paginated(
        c.req.url,
        { limit, offset },
        trail.count,
        trail.entries.map((entry) => entryView(entry, viewer)),
      ),
    );
  },
);

/** GET /api/v2/customers/{id}/changes/ as the OpenAPI document describes it. */
export const customerChangesOperation = (): Operation => ({
  method: "get",
  path: "/api/v2/customers/{id}/changes/",
  spec: {
    operationId: "listCustomerChanges",
    tags: ["customers"],
    summary: "The customer's audit trail",
    description:
      "Newest first, paged like the list: who, which request, when, which action and which fields; never values. An entry's `id` is its number in this trail. Needs `customers:read` and GDPR access `normal`.",
    parameters: [CUSTOMER_ID, ...queryParameters(trailParams.shape, PAGE_DESCRIPTIONS), ...COMMON_PARAMETERS],
    responses: {
      "200": answerOfShapes(
        "A page of the audit trail: counted (offset mode), or of cursor mode (`pagination=cursor`), which reads only its page however deep.",
        { anyOf: [ref("schemas", "ChangePage"), ref("schemas", "ChangeCursorPage")] },
        {
          offset: { count: 2, next: null, previous: null, results: [EXAMPLE_ENTRY] },
          cursor: { next: null, previous: null, results: [EXAMPLE_ENTRY] },
        },
      ),
      "400": badQuery({ limit: ["Ensure this value is less than or equal to 500."] }),
      ...errors("Forbidden", "NotFound"),
    },
  },
});
