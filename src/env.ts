import type { Db } from "./db/client";
import type { DbMeter } from "./db/meter";
import type { Consumer } from "./auth/consumer";

export type Bindings = {
  DB: D1Database;
  /** The static files of public/ (the /docs page). */
  ASSETS: Fetcher;
  RATE_LIMIT_STANDARD: RateLimit;
  RATE_LIMIT_HIGH: RateLimit;
  RATE_LIMIT_NEW_KEYS: RateLimit;
  // wrangler.toml [vars]:
  /** How long one D1 round trip may take before the request answers 503. */
  D1_TIMEOUT_MS: string;
  /** The limits of RATE_LIMIT_STANDARD and RATE_LIMIT_HIGH, told to clients in X-RateLimit-Limit. */
  RATE_LIMIT_STANDARD_PER_MINUTE: string;
  RATE_LIMIT_HIGH_PER_MINUTE: string;
  /** Comma-separated origins whose browser pages may call the API (CORS); empty: none. */
  CORS_ALLOWED_ORIGINS: string;
};

/** The security events of the OWASP logging vocabulary that a request may raise (SPEC §1). */
export type SecurityEvent =
  | "authn_fail"
  | "authz_fail"
  | "input_validation_fail"
  | "sensitive_update"
  | "rate_limit_exceeded";

export type AppEnv = {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    db: Db;
    dbMeter: DbMeter;
    consumer?: Consumer;
    securityEvent?: SecurityEvent;
    /** The class of an unexpected error (a 500), for the access log. */
    errorName?: string;
  };
};
