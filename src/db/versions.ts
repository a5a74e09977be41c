import { type SQL, sql } from "drizzle-orm";
import { customers } from "./schema";

/** If-Match as the write sees it: any version (no header, or "*"), or one of these (none matches []). */
export type IfMatch = "*" | number[] | undefined;

/** What the SQL of a write's If-Match depends on; the versions themselves are bound as one JSON array. */
export type IfMatchKind = "any" | "list" | "none";

export const ifMatchKind = (ifMatch: IfMatch): IfMatchKind => (!Array.isArray(ifMatch) ? "any" : ifMatch.length ? "list" : "none");

/** If-Match as a condition: the same statement text whatever the number of tags. */
export function versionMatches(kind: IfMatchKind, versions: unknown): SQL | undefined {
  if (kind === "any") return undefined;
  return kind === "none" ? sql`0` : sql`${customers.version} IN (SELECT value FROM json_each(${versions}))`;
}
