import { createMiddleware } from "hono/factory";
import type { AppEnv, Bindings } from "../env";
import { errorAnswer } from "./errors";
import { DETAILS } from "./messages";
import { MIN_KEY_BYTES } from "./seal";

/**
 * Every binding, variable and secret the Worker reads, and whether it must be set. An environment of
 * wrangler.toml inherits none of them, so each must be declared again there: listing them here (the
 * compiler holds the list against `wrangler types`) turns a forgotten one into a named error instead
 * of a TypeError deep in a request.
 */
// (The tests add bindings of their own to the generated type.)
type Needed = Exclude<keyof Bindings, `TEST_${string}`>;
const NEEDED = {
  DB: true,
  RATE_LIMIT_STANDARD: true,
  RATE_LIMIT_HIGH: true,
  RATE_LIMIT_NEW_KEYS: true,
  ASSETS: true,
  D1_TIMEOUT_MS: true,
  RATE_LIMIT_STANDARD_PER_MINUTE: true,
  RATE_LIMIT_HIGH_PER_MINUTE: true,
  AUDIT_RETENTION_DAYS: true,
  PURGE_BATCH_SIZE: true,
  SEALING_KEY_1: true,
  SEALING_KEY_2: true,
  SEALING_KEY_IN_USE: true,
  CORS_ALLOWED_ORIGINS: false,
  WEBHOOK_SENDERS: true,
  WEBHOOK_DISPATCHER: true,
  WEBHOOKS_ALLOW_LOCALHOST: true,
} satisfies Record<Needed, boolean>;

/** The bindings and variables this environment lacks. */
const missingConfiguration = (env: Partial<Bindings>) =>
  (Object.keys(NEEDED) as Needed[]).filter((name) => NEEDED[name] && (env[name] === undefined || env[name] === ""));

/** Values that are set but cannot serve: a sealing key shorter than its AES key, a slot that does not exist. */
function invalidConfiguration(env: Partial<Bindings>): string[] {
  const short = (["SEALING_KEY_1", "SEALING_KEY_2"] as const).filter(
    (name) => env[name] && new TextEncoder().encode(env[name]).length < MIN_KEY_BYTES,
  );
  const slot = env.SEALING_KEY_IN_USE && !["1", "2"].includes(env.SEALING_KEY_IN_USE) ? ["SEALING_KEY_IN_USE"] : [];
  return [...short, ...slot];
}

/** What the operator must do about it, in one sentence. */
const advice = (missing: string[], invalid: string[]) =>
  [
    missing.length &&
      `This environment has no ${missing.join(", ")}: declare ${missing.length > 1 ? "them" : "it"} in wrangler.toml (an environment inherits no bindings or vars) or set the secret.`,
    invalid.length &&
      `${invalid.join(", ")} cannot serve: a sealing key has at least ${MIN_KEY_BYTES} bytes (\`openssl rand -hex 32\`), and SEALING_KEY_IN_USE is "1" or "2".`,
  ]
    .filter(Boolean)
    .join(" ");

/**
 * Refuses every request while the configuration is incomplete or unusable: 500 with a log line that
 * names what is wrong, and /health names it too (the operator's first look).
 */
export const requireConfiguration = createMiddleware<AppEnv>(async function requireConfiguration(c, next) {
  const missing = missingConfiguration(c.env);
  const invalid = invalidConfiguration(c.env);
  if (missing.length === 0 && invalid.length === 0) return next();
  const problems = { missing, ...(invalid.length ? { invalid } : {}) };
  console.error(
    JSON.stringify({ time: new Date().toISOString(), event: "configuration_error", ...problems, message: advice(missing, invalid) }),
  );
  c.set("errorName", "ConfigurationError");
  if (c.req.path === "/health") return c.json({ status: "misconfigured", ...problems }, 500);
  return errorAnswer(c, 500, DETAILS.serverError);
});
