import type { Db } from "./db/client";
import type { DbMeter } from "./db/meter";
import type { Consumer } from "./auth/consumer";

export type Bindings = {
  DB: D1Database;
  RATE_LIMIT_STANDARD: RateLimit;
  RATE_LIMIT_HIGH: RateLimit;
  RATE_LIMIT_NEW_KEYS: RateLimit;
  /** How long one D1 round trip may take before the request answers 503 (wrangler.toml [vars]). */
  D1_TIMEOUT_MS: string;
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
