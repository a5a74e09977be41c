import { Placeholder, type SQL, sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";

// Drizzle cannot batch raw SQL with parameters (its D1 session has no prepared statement for it):
// such statements are compiled here and sent as one D1 batch.
const dialect = new SQLiteAsyncDialect();

export type Statement = { sql: string; params: unknown[] };

export const statement = (query: SQL): Statement => dialect.sqlToQuery(query);

/** The statement with its parameters bound; a placeholder takes its value from `values`. */
export const prepare = (d1: D1Database, { sql: text, params }: Statement, values: Record<string, unknown> = {}) =>
  d1.prepare(text).bind(...params.map((param) => (param instanceof Placeholder ? values[param.name] : param)));

/**
 * NULL, or when `condition` holds, an error that fails the whole batch it is in (json() of a text that
 * is not JSON): how a write refuses itself inside D1's atomic batch, which has no ROLLBACK.
 */
export const failsBatchIf = (condition: SQL) => sql`CASE WHEN ${condition} THEN json('refused') END`;
