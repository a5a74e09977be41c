import * as z from "zod/mini";
import { queryChoice, queryInteger, queryString } from "../validation/query";

/** A page of a list by `limit` and `offset`. */
export type Page = { limit: number; offset: number };

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** `limit` (1–500, default 50) and `offset`, as DRF's LimitOffsetPagination takes them. */
export const pageParams = {
  limit: z._default(z.optional(queryInteger(1, MAX_LIMIT)), DEFAULT_LIMIT).register(z.globalRegistry, { description: "How many results." }),
  offset: z._default(z.optional(queryInteger(0)), 0).register(z.globalRegistry, {
    description: "How many results to skip (not with `pagination=cursor`). Reads every skipped row: prefer cursor mode to go deep.",
  }),
};

/** Cursor mode, as DRF's CursorPagination pages: `pagination=cursor`, then each page's `next`. */
export const cursorParams = {
  pagination: z.optional(queryChoice(["cursor"] as const)).register(z.globalRegistry, {
    description: "`cursor`: cursor mode, for sync and export: no count, and `next` until it is `null`.",
  }),
  cursor: z.optional(queryString(1000)).register(z.globalRegistry, {
    description: "Where cursor mode goes on: the `cursor` of the previous page's `next` (opaque, valid for 30 days).",
  }),
};

const link = () => z.nullable(z.url().register(z.globalRegistry, { maxLength: 4096 }));

/** DRF's LimitOffsetPagination page of `items`, counted. */
export const pageOf = <T extends z.ZodMiniType>(items: T) =>
  z.strictObject({
    count: z.int().check(z.gte(0)).register(z.globalRegistry, { format: "int64" }),
    next: link(),
    previous: link(),
    results: z.array(items).check(z.maxLength(MAX_LIMIT)),
  });

/** DRF's CursorPagination page of `items`: no count; cursor mode moves only forward. */
export const cursorPageOf = <T extends z.ZodMiniType>(items: T) =>
  z.strictObject({ next: link(), previous: z.null(), results: z.array(items).check(z.maxLength(MAX_LIMIT)) });

/** DRF's CursorPagination shape; `previous` is always null, as cursor mode moves only forward. */
export function cursorPaginated<T>(requestUrl: string, cursor: string | null, results: T[]) {
  if (cursor === null) return { next: null, previous: null, results };
  const next = new URL(requestUrl);
  next.searchParams.set("cursor", cursor);
  return { next: next.href, previous: null, results };
}

function withParams(url: URL, params: Record<string, number | undefined>): string {
  const next = new URL(url);
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) next.searchParams.delete(name);
    else next.searchParams.set(name, String(value));
  }
  return next.href;
}

/** `{"count", "next", "previous", "results"}` with absolute links, as DRF writes them. */
export function paginated<T>(requestUrl: string, { limit, offset }: Page, count: number, results: T[]) {
  const url = new URL(requestUrl);
  const next = offset + limit < count ? withParams(url, { limit, offset: offset + limit }) : null;
  const previous = offset <= 0 ? null : withParams(url, { limit, offset: offset - limit > 0 ? offset - limit : undefined });
  return { count, next, previous, results };
}
