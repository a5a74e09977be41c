import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { type Db, query } from "./engine/database";
import { type ApiConsumer, apiConsumers, GDPR_LEVELS, type GdprLevel, type RateTier } from "./schema";

export type { GdprLevel };

export type Scope = "customers:read" | "customers:write";

/** An authenticated API consumer (an integration), as the request handlers see it. */
export type Consumer = {
  id: number;
  scopes: ReadonlySet<string>;
  gdprAccess: GdprLevel;
  rateTier: RateTier;
};

/** Whether a GDPR access reaches a level (none < normal < extended). */
export const hasAccess = (access: GdprLevel, level: GdprLevel) => GDPR_LEVELS.indexOf(access) >= GDPR_LEVELS.indexOf(level);

/** The consumer that holds the key with this hash, unless the key is revoked or expired. */
export async function findActiveConsumer(db: Db, keyHash: string, now: string): Promise<Consumer | undefined> {
  const [row] = (await query(
    db,
    sql`SELECT id, scopes, gdpr_access, rate_tier FROM ${apiConsumers} WHERE ${and(
      eq(apiConsumers.key_hash, keyHash),
      isNull(apiConsumers.revoked_at),
      or(isNull(apiConsumers.expires_at), gt(apiConsumers.expires_at, now)),
    )}`,
  )) as Pick<ApiConsumer, "id" | "scopes" | "gdpr_access" | "rate_tier">[];
  return row && { id: row.id, scopes: new Set(row.scopes.split(" ")), gdprAccess: row.gdpr_access, rateTier: row.rate_tier };
}
