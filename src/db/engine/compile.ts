import type { SQL } from "drizzle-orm";
import { CasingCache } from "drizzle-orm/casing";

/** A compiled statement: its SQL text and its parameters (a placeholder takes its value when run). */
export type Statement = { sql: string; params: unknown[] };

// SQLite's quoting, as Drizzle's SQLite dialect writes it: names in double quotes, strings in single
// quotes (each doubled inside), `?` for every parameter. Drizzle's `SQL.toQuery` does the rest; the
// dialect class itself would bring its query builders (about 3 KiB gzip of the Worker) for three lines.
const SQLITE = {
  casing: new CasingCache(),
  escapeName: (name: string) => `"${name.replace(/"/g, '""')}"`,
  escapeParam: () => "?",
  escapeString: (text: string) => `'${text.replace(/'/g, "''")}'`,
};

/** A statement written with Drizzle's `sql` over the schema, compiled for SQLite (in the Worker and in Node alike). */
export const compile = (query: SQL): Statement => query.toQuery(SQLITE);
