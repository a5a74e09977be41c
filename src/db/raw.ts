import { Placeholder, type SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";

// Drizzle cannot batch raw SQL with parameters (its D1 session has no prepared statement for it):
// such statements are compiled here and sent as one D1 batch.
const dialect = new SQLiteAsyncDialect();

export type Statement = { sql: string; params: unknown[] };

export const statement = (query: SQL): Statement => dialect.sqlToQuery(query);

/** The statement with its parameters bound; a placeholder takes its value from `values`. */
export const prepare = (d1: D1Database, { sql: text, params }: Statement, values: Record<string, unknown> = {}) =>
  d1.prepare(text).bind(...params.map((param) => (param instanceof Placeholder ? values[param.name] : param)));
