import type { Context } from "hono";
import type { RateTier } from "../db/schema";
import type { AppEnv, Bindings } from "../env";
import { details } from "../http/errors";
import type { Consumer } from "./consumer";

// The period of every limiter in wrangler.toml: a throttled client may try again after it.
const PERIOD_SECONDS = "60";

const LIMITER: Record<RateTier, "RATE_LIMIT_STANDARD" | "RATE_LIMIT_HIGH" | undefined> = {
  standard: "RATE_LIMIT_STANDARD",
  high: "RATE_LIMIT_HIGH",
  unlimited: undefined,
};

/** Counts a request against the consumer's tier; true when it is over the limit. */
export async function consumerOverLimit(env: Bindings, consumer: Consumer): Promise<boolean> {
  const limiter = LIMITER[consumer.rateTier];
  if (!limiter) return false;
  return !(await env[limiter].limit({ key: `consumer:${consumer.id}` })).success;
}

/** Counts a key that failed against the client's address: keys cannot be guessed at speed. */
export async function addressOverLimit(env: Bindings, address: string): Promise<boolean> {
  return !(await env.RATE_LIMIT_NEW_KEYS.limit({ key: `address:${address}` })).success;
}

export function throttled(c: Context<AppEnv>) {
  c.set("securityEvent", "rate_limit_exceeded");
  return details(c, 429, "Request was throttled.", { "Retry-After": PERIOD_SECONDS });
}
