import { createMiddleware } from "hono/factory";
import type { AppEnv, Bindings } from "../env";
import { errorAnswer } from "./errors";
import { DETAILS } from "./messages";

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
  CURSOR_SECRET: true,
  CURSOR_SECRET_PREVIOUS: false,
  CORS_ALLOWED_ORIGINS: false,
} satisfies Record<Needed, boolean>;

/** The bindings and variables this environment lacks. */
const missingConfiguration = (env: Partial<Bindings>) =>
  (Object.keys(NEEDED) as Needed[]).filter((name) => NEEDED[name] && (env[name] === undefined || env[name] === ""));

/**
 * Refuses every request while the configuration is incomplete: 500 with a log line that names what
 * is missing, and /health names it too (the operator's first look).
 */
export const requireConfiguration = createMiddleware<AppEnv>(async function requireConfiguration(c, next) {
  const missing = missingConfiguration(c.env);
  if (missing.length === 0) return next();
  console.error(
    JSON.stringify({
      time: new Date().toISOString(),
      event: "configuration_error",
      missing,
      message: `This environment has no ${missing.join(", ")}: declare ${missing.length > 1 ? "them" : "it"} in wrangler.toml (an environment inherits no bindings or vars) or set the secret.`,
    }),
  );
  c.set("errorName", "ConfigurationError");
  if (c.req.path === "/health") return c.json({ status: "misconfigured", missing }, 500);
  return errorAnswer(c, 500, DETAILS.serverError);
});
