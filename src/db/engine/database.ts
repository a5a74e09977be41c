import { Placeholder, SQL, sql } from "drizzle-orm";
import { compile, type Statement } from "./compile";
import { DbMeter } from "./meter";

// The one way to D1: every statement is written with Drizzle's `sql` over the schema's tables and
// columns, compiled for SQLite (compile.ts), and run on the request's D1 session, each call metered.
// Rows come back as D1 gives them, objects by column name, and are decoded by the schema (rows.ts).

export type Row = Record<string, unknown>;

/** The database of one request (or one scheduled run): its D1 session and the meter of its calls. */
export type Db = { session: D1DatabaseSession; meter: DbMeter };

export const openDatabase = (session: D1DatabaseSession, timeoutMs: number): Db => ({ session, meter: new DbMeter(timeoutMs) });

function prepared(db: Db, query: SQL | Statement, values: Record<string, unknown>) {
  const { sql: text, params } = query instanceof SQL ? compile(query) : query;
  return db.session.prepare(text).bind(...params.map((param) => (param instanceof Placeholder ? values[param.name] : param)));
}

/** Runs one statement, one round trip: its rows. */
export async function query(db: Db, statement: SQL | Statement, values: Record<string, unknown> = {}): Promise<Row[]> {
  const { results } = await db.meter.wait(() => prepared(db, statement, values).all<Row>());
  return results;
}

/** Runs statements as one atomic D1 batch, one round trip: each statement's rows, in order. */
export async function batch(db: Db, statements: readonly (SQL | Statement)[], values: Record<string, unknown> = {}): Promise<Row[][]> {
  const results = await db.meter.wait(() => db.session.batch<Row>(statements.map((statement) => prepared(db, statement, values))));
  return results.map(({ results: rows }) => rows);
}

/** The number of rows each statement of a batch changed, in order (one round trip). */
export async function changes(db: Db, statements: readonly SQL[]): Promise<number[]> {
  const results = await db.meter.wait(() => db.session.batch(statements.map((statement) => prepared(db, statement, {}))));
  return results.map(({ meta }) => meta.changes);
}

/**
 * NULL, or when `condition` holds, an error that fails the whole batch it is in (json() of a text that
 * is not JSON): how a write refuses itself inside D1's atomic batch, which has no ROLLBACK.
 */
export const failsBatchIf = (condition: SQL) => sql`CASE WHEN ${condition} THEN json('refused') END`;
