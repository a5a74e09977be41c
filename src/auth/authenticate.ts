import { createMiddleware } from "hono/factory";
import { type Consumer, findActiveConsumer } from "../db/consumers";
import type { Db } from "../db/engine/database";
import type { AuthenticatedEnv } from "../env";
import { errorAnswer } from "../http/errors";
import { DETAILS } from "../http/messages";
import { hashKey } from "./keys";
import { addressBlocked, consumerOverLimit, failedKeyOverLimit, throttled } from "./rate-limit";

/**
 * How long a verified key is trusted without asking D1 again: a revoked key stops working within this
 * bound (docs/decisions.md). Only keys that verified are cached, so a failure always takes one path.
 */
export const KEY_CACHE_TTL_MS = 30_000;
const KEY_CACHE_MAX_ENTRIES = 1_000;
const keyCache = new Map<string, { consumer: Consumer; expires: number }>();

const CHALLENGE = { "WWW-Authenticate": "Token" };

/**
 * `Authorization: Token <key>` (the original's scheme) or `Bearer <key>` → the API consumer,
 * then the consumer's rate limit. Every key that fails counts against the client's address, and past
 * the limit the address's failures answer 429, so keys cannot be tried at speed. A valid key is always
 * looked up and served: it is never refused for failures that are not its own (many integrations may
 * share one NAT address).
 */
export const authenticate = createMiddleware<AuthenticatedEnv>(async function authenticate(c, next) {
  const [scheme, ...credentials] = (c.req.header("Authorization") ?? "").trim().split(/\s+/);
  if (!scheme || !/^(token|bearer)$/i.test(scheme)) {
    c.set("securityEvent", "authn_fail");
    return errorAnswer(c, 401, DETAILS.notAuthenticated, CHALLENGE);
  }
  // A malformed key is hashed and looked up like any other, so the answer takes the same time.
  const keyHash = await hashKey(credentials.length === 1 ? credentials[0]! : "");
  const consumer = cached(keyHash) ?? (await verify(c.var.db, keyHash));
  if (!consumer) {
    c.set("securityEvent", "authn_fail");
    const address = c.req.header("CF-Connecting-IP") ?? "unknown";
    if (addressBlocked(address) || (await failedKeyOverLimit(c.env, address))) return throttled(c);
    return errorAnswer(c, 401, DETAILS.invalidToken, CHALLENGE);
  }
  c.set("consumer", consumer);
  if (await consumerOverLimit(c, consumer)) return throttled(c);
  return next();
});

function cached(keyHash: string): Consumer | undefined {
  const entry = keyCache.get(keyHash);
  if (entry && entry.expires > Date.now()) return entry.consumer;
  keyCache.delete(keyHash);
  return undefined;
}

async function verify(db: Db, keyHash: string): Promise<Consumer | undefined> {
  const now = Date.now();
  const consumer = await findActiveConsumer(db, keyHash, new Date(now).toISOString());
  if (!consumer) return undefined;
  if (keyCache.size >= KEY_CACHE_MAX_ENTRIES) keyCache.clear();
  keyCache.set(keyHash, { consumer, expires: now + KEY_CACHE_TTL_MS });
  return consumer;
}
