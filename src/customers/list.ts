import type { Context } from "hono";
import * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { FILTERS, type FilterName, type FilterValues, ORDERINGS, type Ordering } from "../db/filters";
import { cursorModeRefuses, cursorPage, listCustomers as list, type Position } from "../db/list-customers";
import type { AuthenticatedEnv } from "../env";
import { cursorsFor } from "../http/cursor";
import { details, fieldErrors, MESSAGES } from "../http/errors";
import { cursorPaginated, cursorParams, pageParams, paginated } from "../http/pagination";
import { validQuery } from "../http/query-params";
import { createRouter } from "../http/router";
import {
  answerOfShapes,
  badQuery,
  COMMON_PARAMETERS,
  EXAMPLE_CURSOR_PAGE,
  EXAMPLE_CUSTOMER_PAGE,
  errors,
  invalidCursor,
  type Operation,
  PAGE_DESCRIPTIONS,
  protectedNote,
  queryParameters,
  ref,
} from "../openapi/components";
import { queryChoice, queryDateTime, queryInteger, queryString } from "../validation/query";
import { feedCursors, feedUrl } from "./feed";
import { customerView, hasAccess, viewerOf } from "./gdpr";

/** Each filter's query parameter, validated as its table entry says (src/db/filters.ts). */
const parser = {
  text: (maxLength: number) => queryString(maxLength),
  id: () => queryInteger(),
  datetime: () => queryDateTime(),
};
type Parsers = { [name in FilterName]: z.ZodMiniOptional<ReturnType<(typeof parser)[(typeof FILTERS)[name]["input"]["kind"]]>> };
export const filterParams = Object.fromEntries(
  (Object.keys(FILTERS) as FilterName[]).map((name) => {
    const { input } = FILTERS[name];
    return [name, z.optional(input.kind === "text" ? parser.text(input.maxLength) : parser[input.kind]())];
  }),
) as Parsers;

export const listParams = z.object({
  ...pageParams,
  ...cursorParams,
  ...filterParams,
  orderby: z._default(z.optional(queryChoice(ORDERINGS)), "id"),
});

const position: z.ZodMiniType<Position> = z.strictObject({ key: z.nullable(z.string()), id: z.int() });

/**
 * Cursor mode (`pagination=cursor`, then each page's `next`): DRF's CursorPagination shape, no count;
 * the cursor is sealed (src/http/cursor.ts) and names the position after the page: nothing is kept on
 * the server. The first page also carries `changes`, the change feed from just before it, for a copy
 * that must be exact (docs/cursor-pagination.md).
 */
async function cursorMode(
  c: Context<AuthenticatedEnv>,
  { limit, cursor, orderby, filters }: { limit: number; cursor: string | undefined; orderby: Ordering; filters: FilterValues },
) {
  if (cursorModeRefuses({ filters, ordering: orderby })) {
    return fieldErrors(c, {
      orderby: ["Cursor mode pages a date range (modified__gte, modified__lt) only in orderby=modified or orderby=-modified."],
    });
  }
  const consumer = c.var.consumer;
  const viewer = viewerOf(consumer);
  const cursors = cursorsFor(c.env, `list:${consumer.id}:${JSON.stringify([orderby, filters])}`, position);
  const after = cursor === undefined ? null : await cursors.open(cursor);
  if (after === undefined) return details(c, 404, MESSAGES.invalidCursor);
  const page = await cursorPage(c.var.db, { viewer, filters, ordering: orderby }, after, limit);
  const results = page.customers.map((customer) => customerView(customer, consumer.gdprAccess));
  const body = cursorPaginated(c.req.url, page.next && (await cursors.seal(page.next)), results);
  // The change feed needs GDPR access `normal`: only a consumer that may follow it gets its link.
  if (page.changesAfter === undefined || !hasAccess(consumer.gdprAccess, "normal")) return c.json(body);
  return c.json({ ...body, changes: await feedUrl(c.req.url, await feedCursors(c.env, consumer.id).seal(page.changesAfter)) });
}

/** GET /api/v2/customers/ — the customers this consumer may see, filtered, ordered and paged. */
export const listCustomers = createRouter().get("/", authenticate, requireScope("customers:read"), validQuery(listParams), async (c) => {
  const { limit, offset, orderby, pagination, cursor, ...filters } = c.req.valid("query");
  if (pagination === "cursor" || cursor !== undefined) return cursorMode(c, { limit, cursor, orderby, filters });
  const consumer = c.var.consumer;
  const page = await list(c.var.db, { viewer: viewerOf(consumer), filters, ordering: orderby }, { limit, offset });
  const results = page.customers.map((customer) => customerView(customer, consumer.gdprAccess));
  return c.json(paginated(c.req.url, { limit, offset }, page.count, results));
});

/** GET /api/v2/customers/ as the OpenAPI document describes it; its filters come from their table. */
export const listCustomersOperation = (): Operation => ({
  method: "get",
  path: "/api/v2/customers/",
  spec: {
    operationId: "listCustomers",
    tags: ["customers"],
    summary: "List customers",
    description: `The customers this consumer may see, filtered, ordered and paged: by \`limit\`/\`offset\` with DRF's count (the count and the page in one D1 round trip), or in cursor mode (\`pagination=cursor\`) for sync and export, whose first page also links the change feed from just before it (\`changes\`). Needs \`customers:read\`. ${protectedNote()}`,
    parameters: [
      ...queryParameters(listParams.shape, {
        ...PAGE_DESCRIPTIONS,
        ...Object.fromEntries(Object.entries(FILTERS).map(([name, filter]) => [name, filter.description])),
        orderby: "The order; `-` for descending. Ties are broken by id.",
      }),
      ...COMMON_PARAMETERS,
    ],
    responses: {
      "200": answerOfShapes(
        "A page of customers: counted (offset mode), or of cursor mode (`pagination=cursor`).",
        { anyOf: [ref("schemas", "CustomerPage"), ref("schemas", "CustomerCursorPage")] },
        { offset: EXAMPLE_CUSTOMER_PAGE, cursor: EXAMPLE_CURSOR_PAGE },
      ),
      "400": badQuery({ orderby: [`Select a valid choice. name is not one of the available choices: ${ORDERINGS.join(", ")}.`] }),
      "404": invalidCursor("A cursor that is not one this consumer got for this query, or older than 30 days."),
      ...errors("Forbidden"),
    },
  },
});
