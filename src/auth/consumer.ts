import type { ApiConsumer, GdprLevel, RateTier } from "../db/schema";

export type Scope = "customers:read" | "customers:write";

/** An authenticated API consumer (an integration), as the request handlers see it. */
export type Consumer = {
  id: number;
  scopes: ReadonlySet<string>;
  gdprAccess: GdprLevel;
  rateTier: RateTier;
};

export function toConsumer(row: Pick<ApiConsumer, "id" | "scopes" | "gdpr_access" | "rate_tier">): Consumer {
  return { id: row.id, scopes: new Set(row.scopes.split(" ")), gdprAccess: row.gdpr_access, rateTier: row.rate_tier };
}
