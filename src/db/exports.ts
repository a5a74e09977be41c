import { and, asc, desc, eq, gt, isNotNull, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "./client";
import { type CustomerFilters, listCondition, sortOf } from "./customers";
import type { Ordering } from "./orderings";
import { prepare, statement } from "./raw";
import { customerJson, decodeCustomer } from "./rows";
import { type Customer, customerChanges, customerExportMoves, customerExports, customers } from "./schema";
import { type Viewer, visibleTo } from "./visibility";

// Cursor mode of the list (docs/cursor-pagination.md). An export walks the customers that have not
// changed since its snapshot, in its ordering, by keyset: such a customer keeps its place, so the walk
// serves it once. A customer updated after the snapshot leaves the walk; if the walk had not reached
// its old place, a trigger records it (migration 0010) and the export serves it after the walk. Each
// walked page and the move of the export's place are one atomic batch, so the trigger always compares
// with the place of the last page served.

/** The id of the audit entry of the write in progress (its audit rows come first in its batch). */
export const latestChange = sql`(SELECT max(${customerChanges.id}) FROM ${customerChanges})`;

/** How long a cursor stays valid; the scheduled purge deletes older exports. */
export const EXPORT_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * How many exports a consumer keeps: beginning another ends its oldest. Every update reads the walking
 * exports, so their number must not grow with a client's requests.
 */
export const EXPORTS_PER_CONSUMER = 10;

/** The last served customer's sort key (null for `id` ordering, or no customer number) and id. */
export type Place = { key: string | null; id: number };

export type ExportCursor =
  | { export: string; phase: "walk"; pages: number; after: Place | null }
  | { export: string; phase: "moved"; after: number };

export type ExportQuery = { viewer: Viewer; filters: CustomerFilters; orderby: Ordering; queryHash: string; limit: number };

export type ExportPage = { status: "page"; customers: Customer[]; next: ExportCursor | null } | { status: "invalid_cursor" };

type ExportState = { pages: number; pos_key: string | null; pos_id: number | null; walked: number; moved: number };

/** One index range of a walk: its rows and their order. */
type Arm = { condition?: SQL | undefined; order: SQL[] };

/**
 * The index ranges that walk an ordering after a place (from the start if null), in turn. Customers
 * with the same `modified` are walked by id first. `customer_number` NULLs tie too (they sort first,
 * ascending), and are walked by id; customer numbers themselves are unique.
 */
function armsAfter(orderby: Ordering, after: Place | null): Arm[] {
  const { column, descending } = sortOf(orderby);
  const [beyond, direction] = descending ? [lt, desc] : [gt, asc];
  const byId = (condition?: SQL) => ({
    condition: and(condition, after ? beyond(customers.id, after.id) : undefined),
    order: [direction(customers.id)],
  });
  if (orderby.endsWith("modified")) {
    const later = (condition?: SQL) => ({ condition, order: [direction(column), direction(customers.id)] });
    return after ? [byId(eq(column, after.key!)), later(beyond(column, after.key!))] : [later()];
  }
  if (!orderby.endsWith("customer_number")) return [byId()];
  const nulls = { condition: isNull(column), order: [direction(customers.id)] };
  const numbers = (condition: SQL) => ({ condition, order: [direction(column)] });
  if (!after) return descending ? [numbers(isNotNull(column)), nulls] : [nulls, numbers(isNotNull(column))];
  if (after.key === null) return descending ? [byId(isNull(column))] : [byId(isNull(column)), numbers(isNotNull(column))];
  return descending ? [numbers(beyond(column, after.key)), nulls] : [numbers(beyond(column, after.key))];
}

/** The walk after `after`, as one SELECT of at most `limit` rows. */
function walk(db: Db, orderby: Ordering, after: Place | null, where: SQL | undefined, limit: number): SQL {
  const arms = armsAfter(orderby, after).map(({ condition, order }) =>
    db
      .select()
      .from(customers)
      .where(and(where, condition))
      .orderBy(...order)
      .limit(limit),
  );
  // UNION ALL yields its arms in turn; the outer LIMIT stops as soon as the page is full.
  return sql`${sql.join(
    arms.map((arm) => sql`SELECT * FROM (${arm})`),
    sql` UNION ALL `,
  )} LIMIT ${limit}`;
}

/** The export behind a cursor, if this consumer began it with this query and it has not expired. */
const owned = (exportId: string, { viewer, queryHash }: ExportQuery) =>
  and(
    eq(customerExports.id, exportId),
    eq(customerExports.consumer_id, viewer.consumerId),
    eq(customerExports.query_hash, queryHash),
    gt(customerExports.created_at, new Date(Date.now() - EXPORT_LIFETIME_MS).toISOString()),
  );

const movedOf = (exportId: string) =>
  sql<number>`EXISTS (SELECT 1 FROM ${customerExportMoves} WHERE ${customerExportMoves.export_id} = ${exportId})`;

/** Where the export goes on after a page: the walk, then the moved customers, then nowhere. */
function nextCursor(exportId: string, state: ExportState): ExportCursor | null {
  if (!state.walked) {
    const after = state.pos_id === null ? null : { key: state.pos_key, id: state.pos_id };
    return { export: exportId, phase: "walk", pages: state.pages, after };
  }
  return state.moved ? { export: exportId, phase: "moved", after: 0 } : null;
}

/** A page of an export: the first (without a cursor), or the one a cursor points to. One round trip. */
export function exportPage(db: Db, query: ExportQuery, cursor?: ExportCursor): Promise<ExportPage> {
  return cursor?.phase === "moved" ? movedPage(db, query, cursor) : walkPage(db, query, cursor);
}

/**
 * A page of the walk, and the export's place moved to its last customer, in one atomic batch: the page
 * is built into the export's row, the place is taken from it, and the row is cleared again. A cursor
 * sent again after its page was served gets the same customers (by id, as they are now).
 */
async function walkPage(db: Db, query: ExportQuery, cursor?: Extract<ExportCursor, { phase: "walk" }>): Promise<ExportPage> {
  const { viewer, filters, orderby, limit } = query;
  const exportId = cursor?.export ?? crypto.randomUUID().replaceAll("-", "");
  const snapshot = sql`(SELECT ${customerExports.snapshot} FROM ${customerExports} WHERE ${customerExports.id} = ${exportId})`;
  const rows = walk(db, orderby, cursor?.after ?? null, and(listCondition(viewer, filters), sql`${customers.seq} <= ${snapshot}`), limit);

  const served = cursor && and(owned(exportId, query), eq(customerExports.pages, cursor.pages + 1));
  const before = cursor
    ? [
        db
          .select({
            pages: customerExports.pages,
            pos_key: customerExports.pos_key,
            pos_id: customerExports.pos_id,
            walked: customerExports.walked,
            moved: movedOf(exportId),
          })
          .from(customerExports)
          .where(served)
          .toSQL(),
        statement(sql`SELECT ${customers}.* FROM ${customerExports}, json_each(${customerExports.page_ids}) AS served
          JOIN ${customers} ON ${customers.id} = served.value WHERE ${and(served, visibleTo(viewer))} ORDER BY served.key`),
      ]
    : [
        ...endOldestExport(viewer.consumerId),
        db
          .insert(customerExports)
          .values({
            id: exportId,
            consumer_id: viewer.consumerId,
            ordering: orderby,
            query_hash: query.queryHash,
            snapshot: sql`coalesce(${latestChange}, 0)`,
          })
          .toSQL(),
      ];
  const atPlace = cursor
    ? and(
        owned(exportId, query),
        eq(customerExports.pages, cursor.pages),
        eq(customerExports.walked, false),
        cursor.after
          ? and(eq(customerExports.pos_id, cursor.after.id), sql`${customerExports.pos_key} IS ${cursor.after.key}`)
          : isNull(customerExports.pos_id),
      )
    : eq(customerExports.id, exportId);
  const keyField = sortOf(orderby).column.name;
  const lastKey = keyField === "id" ? sql`NULL` : sql`json_extract(page, ${`$[#-1].${keyField}`})`;
  const statements = [
    ...before,
    statement(sql`UPDATE ${customerExports} SET (page, page_ids) = (SELECT json_group_array(${customerJson}), json_group_array(id) FROM (${rows}))
      WHERE ${atPlace}`),
    // A page shorter than the limit ends the walk (one exactly as long leaves an empty last page).
    statement(sql`UPDATE ${customerExports} SET pages = pages + 1,
        pos_key = CASE WHEN json_array_length(page) = 0 THEN pos_key ELSE ${lastKey} END,
        pos_id = CASE WHEN json_array_length(page) = 0 THEN pos_id ELSE json_extract(page, '$[#-1].id') END,
        walked = json_array_length(page) < ${limit}
      WHERE id = ${exportId} AND page IS NOT NULL
      RETURNING pages, pos_key, pos_id, walked, ${movedOf(exportId)} AS moved, page`),
    statement(sql`UPDATE ${customerExports} SET page = NULL WHERE id = ${exportId}`),
  ];
  const d1 = db.$client;
  const results = await d1.batch<Record<string, unknown>>(statements.map((query) => prepare(d1, query)));
  const [walked] = results.at(-2)!.results as (ExportState & { page: string })[];
  if (walked) {
    const page = (JSON.parse(walked.page) as Record<string, unknown>[]).map(decodeCustomer);
    return { status: "page", customers: page, next: nextCursor(exportId, walked) };
  }
  const [replayed] = (cursor ? results[0]!.results : []) as ExportState[];
  if (!replayed) return { status: "invalid_cursor" };
  return { status: "page", customers: results[1]!.results.map(decodeCustomer), next: nextCursor(exportId, replayed) };
}

/**
 * Ends the consumer's oldest export beyond EXPORTS_PER_CONSUMER - 1, so that with the one it begins it
 * keeps EXPORTS_PER_CONSUMER (each beginning ends at most one, so there are never more).
 */
function endOldestExport(consumerId: number) {
  const oldest = sql`(SELECT ${customerExports.id} FROM ${customerExports} WHERE ${customerExports.consumer_id} = ${consumerId}
    ORDER BY ${customerExports.created_at} DESC, ${customerExports.id} LIMIT 1 OFFSET ${EXPORTS_PER_CONSUMER - 1})`;
  return [
    statement(sql`DELETE FROM ${customerExportMoves} WHERE ${customerExportMoves.export_id} = ${oldest}`),
    statement(sql`DELETE FROM ${customerExports} WHERE ${customerExports.id} = ${oldest}`),
  ];
}

/** A page of the customers that moved before the walk reached them, by id, as they are now. */
async function movedPage(db: Db, query: ExportQuery, cursor: Extract<ExportCursor, { phase: "moved" }>): Promise<ExportPage> {
  const { viewer, filters, limit } = query;
  const moves = customerExportMoves;
  const [valid, rows] = await db.batch([
    // Counting the page is a write, so that D1 runs the batch on the primary: a read replica might
    // not have the end of the walk and its moves yet.
    db
      .update(customerExports)
      .set({ pages: sql`${customerExports.pages} + 1` })
      .where(and(owned(cursor.export, query), eq(customerExports.walked, true)))
      .returning({ walked: customerExports.walked }),
    db
      .select({ customer: customers })
      .from(moves)
      .innerJoin(customers, eq(customers.id, moves.customer_id))
      .where(and(eq(moves.export_id, cursor.export), gt(moves.customer_id, cursor.after), listCondition(viewer, filters)))
      .orderBy(asc(moves.customer_id))
      .limit(limit + 1),
  ]);
  if (!valid.length) return { status: "invalid_cursor" };
  const page = rows.slice(0, limit).map((row) => row.customer);
  const next = rows.length > limit ? { export: cursor.export, phase: "moved" as const, after: page.at(-1)!.id } : null;
  return { status: "page", customers: page, next };
}
