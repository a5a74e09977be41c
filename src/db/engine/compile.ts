import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";

/** A compiled statement: its SQL text and its parameters (a placeholder takes its value when run). */
export type Statement = { sql: string; params: unknown[] };

const dialect = new SQLiteAsyncDialect();

/** A statement written with Drizzle's `sql` over the schema, compiled by its SQLite dialect (in the Worker and in Node alike). */
export const compile = (query: SQL): Statement => dialect.sqlToQuery(query);
