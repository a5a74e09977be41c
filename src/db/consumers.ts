import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { Db } from "./client";
import { apiConsumers } from "./schema";

/** The consumer that holds the key with this hash, unless the key is revoked or expired. */
export async function findActiveConsumer(db: Db, keyHash: string, now: string) {
  const [row] = await db
    .select({
      id: apiConsumers.id,
      scopes: apiConsumers.scopes,
      gdpr_access: apiConsumers.gdpr_access,
      rate_tier: apiConsumers.rate_tier,
    })
    .from(apiConsumers)
    .where(
      and(
        eq(apiConsumers.key_hash, keyHash),
        isNull(apiConsumers.revoked_at),
        or(isNull(apiConsumers.expires_at), gt(apiConsumers.expires_at, now)),
      ),
    );
  return row;
}
