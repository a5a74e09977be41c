import * as z from "zod/mini";
import { feedCursors, feedUrl } from "../../customers/feed-position";
import { customerAnswer, customerView, handlesPersonalData, viewerOf } from "../../customers/gdpr";
import { listParams } from "../../customers/list-query";
import { ORDERINGS } from "../../db/filters";
import { cursorModeRefuses, cursorPage, listCustomers, type Position } from "../../db/list-customers";
import { errorAnswer, errorBody, fieldErrors } from "../../http/errors";
import { DETAILS } from "../../http/messages";
import { cursorPageOf, cursorPaginated, pageOf, paginated } from "../../http/pagination";
import { cursorsFor } from "../../http/seal";
import { badQuery, type OperationContext, operation } from "../operation";

export const customerPage = pageOf(customerAnswer);
export const customerCursorPage = z.extend(cursorPageOf(customerAnswer), {
  changes: z.optional(z.url()).register(z.globalRegistry, {
    maxLength: 4096,
    description: "On the first page: the change feed from just before the pages were read (docs: keep a copy in sync).",
  }),
});

const position: z.ZodMiniType<Position> = z.strictObject({ key: z.nullable(z.string()), id: z.int() });

const spec = {
  method: "get",
  path: "/api/v2/customers/",
  operationId: "listCustomers",
  summary: "List customers",
  description:
    "The customers this consumer may see, filtered, ordered and paged: by `limit`/`offset` with DRF's count (the count and the page in one D1 round trip), or in cursor mode (`pagination=cursor`) for sync and export, whose first page also links the change feed from just before it (`changes`).",
  access: { scope: "customers:read" },
  query: listParams,
  answers: {
    200: {
      description: "A page of customers: counted (offset mode), or of cursor mode (`pagination=cursor`).",
      body: z.union([customerPage, customerCursorPage]),
    },
    400: badQuery({ orderby: [`Select a valid choice. name is not one of the available choices: ${ORDERINGS.join(", ")}.`] }),
    404: {
      description: "A cursor that is not one this consumer got for this query, or older than 30 days.",
      body: errorBody,
      example: { details: DETAILS.invalidCursor },
    },
  },
} as const;

/**
 * Cursor mode (`pagination=cursor`, then each page's `next`): DRF's CursorPagination shape, no count;
 * the cursor is sealed (src/http/seal.ts) and names the position after the page: nothing is kept on
 * the server. The first page also carries `changes`, the change feed from just before it, for a copy
 * that must be exact (docs/cursor-pagination.md).
 */
async function cursorMode(c: OperationContext<typeof spec>) {
  const { limit, cursor, orderby, pagination: _mode, offset: _ignored, ...filters } = c.req.valid("query");
  if (cursorModeRefuses({ filters, ordering: orderby })) {
    return fieldErrors(c, {
      orderby: ["Cursor mode pages a date range (modified__gte, modified__lt) only in orderby=modified or orderby=-modified."],
    });
  }
  const consumer = c.var.consumer;
  const cursors = cursorsFor(c.env, `list:${consumer.id}:${JSON.stringify([orderby, filters])}`, position);
  const after = cursor === undefined ? null : await cursors.open(cursor);
  if (after === undefined) return errorAnswer(c, 404, DETAILS.invalidCursor);
  const page = await cursorPage(c.var.db, { viewer: viewerOf(consumer), filters, ordering: orderby }, after, limit);
  const results = page.customers.map((customer) => customerView(customer, consumer.gdprAccess));
  const body = cursorPaginated(c.req.url, page.next && (await cursors.seal(page.next)), results);
  // The change feed needs GDPR access `normal`: only a consumer that may follow it gets its link.
  if (page.changesAfter === undefined || !handlesPersonalData(consumer.gdprAccess)) return c.json(body);
  return c.json({ ...body, changes: feedUrl(c.req.url, await feedCursors(c.env, consumer.id).seal(page.changesAfter)) });
}

/** GET /api/v2/customers/ — the customers this consumer may see, filtered, ordered and paged. */
export const listCustomersRoute = operation(spec, async function getCustomers(c) {
  const { limit, offset, orderby, pagination, cursor, ...filters } = c.req.valid("query");
  if (pagination === "cursor" || cursor !== undefined) return cursorMode(c);
  const consumer = c.var.consumer;
  const page = await listCustomers(c.var.db, { viewer: viewerOf(consumer), filters, ordering: orderby }, { limit, offset });
  const results = page.customers.map((customer) => customerView(customer, consumer.gdprAccess));
  return c.json(paginated(c.req.url, { limit, offset }, page.count, results));
});
