import type { Context } from "hono";
import type { Consumer } from "../db/consumers";
import type { RateTier } from "../db/schema";
import type { AppEnv, Bindings } from "../env";
import { errorAnswer } from "../http/errors";
import { DETAILS } from "../http/messages";

// The period of every limiter in wrangler.toml: a throttled client may try again after it.
const PERIOD_SECONDS = 60;

const TIERS = {
  standard: { limiter: "RATE_LIMIT_STANDARD", perMinute: "RATE_LIMIT_STANDARD_PER_MINUTE" },
  high: { limiter: "RATE_LIMIT_HIGH", perMinute: "RATE_LIMIT_HIGH_PER_MINUTE" },
  unlimited: undefined,
} as const satisfies Record<RateTier, { limiter: keyof Bindings; perMinute: keyof Bindings } | undefined>;

/**
 * Counts a request against the consumer's tier and tells the client its limit in `X-RateLimit-Limit`
 * (requests a minute); true when the request is over the limit.
 */
export async function consumerOverLimit<E extends AppEnv>(c: Context<E>, consumer: Consumer): Promise<boolean> {
  const tier = TIERS[consumer.rateTier];
  if (!tier) return false;
  c.header("X-RateLimit-Limit", c.env[tier.perMinute]);
  return !(await c.env[tier.limiter].limit({ key: `consumer:${consumer.id}` })).success;
}

// Client addresses over the limit of failed keys, refused in this isolate before any D1 query until then.
const blockedAddresses = new Map<string, number>();
const MAX_BLOCKED_ADDRESSES = 1_000;

export const addressBlocked = (address: string) => (blockedAddresses.get(address) ?? 0) > Date.now();

/**
 * Counts a key that failed against the client's address, so that keys cannot be guessed at speed;
 * true when the address is over the limit, which also blocks it here for the limiter's period.
 */
export async function failedKeyOverLimit(env: Bindings, address: string): Promise<boolean> {
  if ((await env.RATE_LIMIT_NEW_KEYS.limit({ key: `address:${address}` })).success) return false;
  if (blockedAddresses.size >= MAX_BLOCKED_ADDRESSES) blockedAddresses.clear();
  blockedAddresses.set(address, Date.now() + PERIOD_SECONDS * 1000);
  return true;
}

export function throttled<E extends AppEnv>(c: Context<E>) {
  c.set("securityEvent", "rate_limit_exceeded");
  return errorAnswer(c, 429, DETAILS.throttled, { "Retry-After": String(PERIOD_SECONDS) });
}
