import type { Context } from "hono";
import { Hono } from "hono";
import * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { sha256Hex } from "../crypto/sha256";
import { type CustomerFilters, listCustomers as list } from "../db/customers";
import { type ExportCursor, exportPage } from "../db/exports";
import { ORDERINGS, type Ordering } from "../db/orderings";
import type { AppEnv, AuthenticatedEnv } from "../env";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { details } from "../http/errors";
import { cursorPaginated, cursorParams, pageParams, paginated } from "../http/pagination";
import { validQuery } from "../http/query-params";
import { queryChoice, queryDateTime, queryInteger, queryString } from "../validation/query";
import { customerView, viewerOf } from "./gdpr";

export const listParams = z.object({
  ...pageParams,
  ...cursorParams,
  customer_number: z.optional(queryString(50)),
  status: z.optional(queryInteger()),
  type: z.optional(queryInteger()),
  water_database: z.optional(queryInteger()),
  modified__gte: z.optional(queryDateTime()),
  modified__lt: z.optional(queryDateTime()),
  orderby: z._default(z.optional(queryChoice(ORDERINGS)), "id"),
});

const place = z.nullable(z.strictObject({ key: z.nullable(z.string()), id: z.int() }));
const exportCursor = z.union([
  z.strictObject({ export: z.string(), phase: z.literal("walk"), pages: z.int(), after: place }),
  z.strictObject({ export: z.string(), phase: z.literal("moved"), after: z.int() }),
]);

function parseCursor(cursor: string): ExportCursor | undefined {
  try {
    const parsed = exportCursor.safeParse(JSON.parse(decodeCursor(cursor) ?? ""));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Cursor mode (`pagination=cursor`, then each page's `next`): DRF's CursorPagination shape, no count.
 * Every customer that exists from the first page to the last is served exactly once, whatever is
 * written meanwhile (docs/cursor-pagination.md).
 */
async function cursorPage(
  c: Context<AuthenticatedEnv>,
  { limit, cursor, orderby, filters }: { limit: number; cursor: string | undefined; orderby: Ordering; filters: CustomerFilters },
) {
  const position = cursor === undefined ? undefined : parseCursor(cursor);
  if (cursor !== undefined && !position) return details(c, 404, "Invalid cursor");
  const consumer = c.var.consumer;
  const queryHash = await sha256Hex(JSON.stringify({ orderby, filters }));
  const page = await exportPage(c.var.db, { viewer: viewerOf(consumer), filters, orderby, queryHash, limit }, position);
  switch (page.status) {
    case "invalid_cursor":
      return details(c, 404, "Invalid cursor");
    case "page": {
      const results = page.customers.map((customer) => customerView(customer, consumer.gdprAccess));
      return c.json(cursorPaginated(c.req.url, page.next && encodeCursor(JSON.stringify(page.next)), results));
    }
  }
}

/** GET /api/v2/customers/ — the customers this consumer may see, filtered, ordered and paged. */
export const listCustomers = new Hono<AppEnv>().get(
  "/",
  authenticate,
  requireScope("customers:read"),
  validQuery(listParams),
  async (c) => {
    const { limit, offset, orderby, pagination, cursor, ...filters } = c.req.valid("query");
    if (pagination === "cursor" || cursor !== undefined) return cursorPage(c, { limit, cursor, orderby, filters });
    const consumer = c.var.consumer;
    const page = await list(c.var.db, viewerOf(consumer), filters, orderby, { limit, offset });
    const results = page.customers.map((customer) => customerView(customer, consumer.gdprAccess));
    return c.json(paginated(c.req.url, { limit, offset }, page.count, results));
  },
);
