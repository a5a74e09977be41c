import { createMiddleware } from "hono/factory";
import { findActiveConsumer } from "../db/consumers";
import type { AppEnv, AuthenticatedEnv } from "../env";
import { details } from "../http/errors";
import { type Consumer, toConsumer } from "./consumer";
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
    return details(c, 401, "Authentication credentials were not provided", CHALLENGE);
  }
  // A malformed key is hashed and looked up like any other, so the answer takes the same time.
  const keyHash = await hashKey(credentials.length === 1 ? credentials[0]! : "");
  const consumer = cached(keyHash) ?? (await verify(c.var.db, keyHash));
  if (!consumer) {
    c.set("securityEvent", "authn_fail");
    const address = c.req.header("CF-Connecting-IP") ?? "unknown";
    if (addressBlocked(address) || (await failedKeyOverLimit(c.env, address))) return throttled(c);
    return details(c, 401, "Invalid token.", CHALLENGE);
  }
  c.set("consumer", consumer);
  if (await consumerOverLimit(c, consumer)) return throttled(c);
  await next();
});

function cached(keyHash: string): Consumer | undefined {
  const entry = keyCache.get(keyHash);
  if (entry && entry.expires > Date.now()) return entry.consumer;
  keyCache.delete(keyHash);
  return undefined;
}

async function verify(db: AppEnv["Variables"]["db"], keyHash: string): Promise<Consumer | undefined> {
  const now = Date.now();
  const row = await findActiveConsumer(db, keyHash, new Date(now).toISOString());
  if (!row) return undefined;
  const consumer = toConsumer(row);
  if (keyCache.size >= KEY_CACHE_MAX_ENTRIES) keyCache.clear();
  keyCache.set(keyHash, { consumer, expires: now + KEY_CACHE_TTL_MS });
  return consumer;
}
