import type { ApiConsumer, GdprLevel } from "../db/schema";

export type Scope = "customers:read" | "customers:write";

/** An authenticated API consumer (an integration), as the request handlers see it. */
export type Consumer = {
  id: number;
  scopes: ReadonlySet<string>;
  gdprAccess: GdprLevel;
};

export function toConsumer(row: Pick<ApiConsumer, "id" | "scopes" | "gdpr_access">): Consumer {
  return { id: row.id, scopes: new Set(row.scopes.split(" ")), gdprAccess: row.gdpr_access };
}
