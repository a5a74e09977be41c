import { and, eq, gt, isNull, or, type SQL, sql } from "drizzle-orm";
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

/** What an operation needs of its consumer: a scope, and for personal data as a whole (erasure, trails, the feed) a GDPR access. */
export type Access = { scope: Scope; gdpr?: GdprLevel };

/** Whether a consumer has what an operation needs. */
export const allows = ({ scopes, gdprAccess }: Consumer, { scope, gdpr }: Access) =>
  scopes.has(scope) && (gdpr === undefined || hasAccess(gdprAccess, gdpr));

/** The consumer's key works: neither revoked nor expired. */
const keyWorks = (now: string) =>
  and(isNull(apiConsumers.revoked_at), or(isNull(apiConsumers.expires_at), gt(apiConsumers.expires_at, now)));

type ConsumerRow = Pick<ApiConsumer, "id" | "scopes" | "gdpr_access" | "rate_tier">;

/** The consumer that `condition` names, unless its key is revoked or expired. */
async function consumerWhere(db: Db, condition: SQL, now: string): Promise<Consumer | undefined> {
  const [row] = (await query(
    db,
    sql`SELECT ${apiConsumers.id}, ${apiConsumers.scopes}, ${apiConsumers.gdpr_access}, ${apiConsumers.rate_tier}
      FROM ${apiConsumers} WHERE ${and(condition, keyWorks(now))}`,
  )) as ConsumerRow[];
  return row && { id: row.id, scopes: new Set(row.scopes.split(" ")), gdprAccess: row.gdpr_access, rateTier: row.rate_tier };
}

/** The consumer that holds the key with this hash, unless the key is revoked or expired. */
export const findActiveConsumer = (db: Db, keyHash: string, now: string) => consumerWhere(db, eq(apiConsumers.key_hash, keyHash), now);

/** The consumer with this id, unless its key is revoked or expired (for work done on its behalf, without a request). */
export const findConsumerById = (db: Db, id: number, now: string) => consumerWhere(db, eq(apiConsumers.id, id), now);
