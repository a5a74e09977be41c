import { Hono } from "hono";
import * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { listCustomers as list, ORDERINGS } from "../db/customers";
import type { AppEnv } from "../env";
import { pageParams, paginated } from "../http/pagination";
import { validQuery } from "../http/query-params";
import { queryChoice, queryDateTime, queryInteger, queryString } from "../validation/query";
import { customerView, viewerOf } from "./gdpr";

export const listParams = z.object({
  ...pageParams,
  customer_number: z.optional(queryString(50)),
  status: z.optional(queryInteger()),
  type: z.optional(queryInteger()),
  water_database: z.optional(queryInteger()),
  modified__gte: z.optional(queryDateTime()),
  modified__lt: z.optional(queryDateTime()),
  orderby: z._default(z.optional(queryChoice(ORDERINGS)), "id"),
});

/** GET /api/v2/customers/ — the customers this consumer may see, filtered, ordered and paged. */
export const listCustomers = new Hono<AppEnv>().get(
  "/",
  authenticate,
  requireScope("customers:read"),
  validQuery(listParams),
  async (c) => {
    const { limit, offset, orderby, ...filters } = c.req.valid("query");
    const consumer = c.var.consumer;
    const page = await list(c.var.db, viewerOf(consumer), filters, orderby, { limit, offset });
    const results = page.customers.map((customer) => customerView(customer, consumer.gdprAccess));
    return c.json(paginated(c.req.url, { limit, offset }, page.count, results));
  },
);
