import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";

// Drizzle cannot batch raw SQL with parameters (its D1 session has no prepared statement for it):
// such statements are compiled here and sent as one D1 batch.
const dialect = new SQLiteAsyncDialect();

export const statement = (query: SQL) => dialect.sqlToQuery(query);

export const prepare = (d1: D1Database, { sql: text, params }: { sql: string; params: unknown[] }) => d1.prepare(text).bind(...params);
