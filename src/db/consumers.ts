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

/** What an operation needs of its consumer: a scope, and for personal data as a whole (erasure, trails, the feed) a GDPR access. */
export type Access = { scope: Scope; gdpr?: GdprLevel };

/** Whether a consumer has what an operation needs. */
export const allows = ({ scopes, gdprAccess }: Consumer, { scope, gdpr }: Access) =>
  scopes.has(scope) && (gdpr === undefined || hasAccess(gdprAccess, gdpr));

/** The consumer's key works: neither revoked nor expired. */
const keyWorks = (now: string) =>
  and(isNull(apiConsumers.revoked_at), or(isNull(apiConsumers.expires_at), gt(apiConsumers.expires_at, now)));

type ConsumerRow = Pick<ApiConsumer, "id" | "scopes" | "gdpr_access" | "rate_tier">;
const consumerColumns = sql`${apiConsumers.id}, ${apiConsumers.scopes}, ${apiConsumers.gdpr_access}, ${apiConsumers.rate_tier}`;
const consumerOf = (row: ConsumerRow): Consumer => ({
  id: row.id,
  scopes: new Set(row.scopes.split(" ")),
  gdprAccess: row.gdpr_access,
  rateTier: row.rate_tier,
});

/** The consumer that holds the key with this hash, unless the key is revoked or expired. */
export async function findActiveConsumer(db: Db, keyHash: string, now: string): Promise<Consumer | undefined> {
  const [row] = (await query(
    db,
    sql`SELECT ${consumerColumns} FROM ${apiConsumers} WHERE ${and(eq(apiConsumers.key_hash, keyHash), keyWorks(now))}`,
  )) as ConsumerRow[];
  return row && consumerOf(row);
}

/** The consumer with this id, unless its key is revoked or expired (for work done on its behalf, without a request). */
export async function findConsumerById(db: Db, id: number, now: string): Promise<Consumer | undefined> {
  const [row] = (await query(
    db,
    sql`SELECT ${consumerColumns} FROM ${apiConsumers} WHERE ${and(eq(apiConsumers.id, id), keyWorks(now))}`,
  )) as ConsumerRow[];
  return row && consumerOf(row);
}
