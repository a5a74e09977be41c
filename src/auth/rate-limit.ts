import type { Context } from "hono";
import type { RateTier } from "../db/schema";
import type { AppEnv, Bindings } from "../env";
import { details } from "../http/errors";
import type { Consumer } from "./consumer";

// The period of every limiter in wrangler.toml: a throttled client may try again after it.
const PERIOD_SECONDS = "60";

const TIERS = {
  standard: { limiter: "RATE_LIMIT_STANDARD", perMinute: "RATE_LIMIT_STANDARD_PER_MINUTE" },
  high: { limiter: "RATE_LIMIT_HIGH", perMinute: "RATE_LIMIT_HIGH_PER_MINUTE" },
  unlimited: undefined,
} as const satisfies Record<RateTier, { limiter: keyof Bindings; perMinute: keyof Bindings } | undefined>;

/**
 * Counts a request against the consumer's tier and tells the client its limit in `X-RateLimit-Limit`
 * (requests a minute); true when the request is over the limit.
 */
export async function consumerOverLimit(c: Context<AppEnv>, consumer: Consumer): Promise<boolean> {
  const tier = TIERS[consumer.rateTier];
  if (!tier) return false;
  c.header("X-RateLimit-Limit", c.env[tier.perMinute]);
  return !(await c.env[tier.limiter].limit({ key: `consumer:${consumer.id}` })).success;
}

/** Counts a key that failed against the client's address: keys cannot be guessed at speed. */
export async function addressOverLimit(env: Bindings, address: string): Promise<boolean> {
  return !(await env.RATE_LIMIT_NEW_KEYS.limit({ key: `address:${address}` })).success;
}

export function throttled(c: Context<AppEnv>) {
  c.set("securityEvent", "rate_limit_exceeded");
  return details(c, 429, "Request was throttled.", { "Retry-After": PERIOD_SECONDS });
}
