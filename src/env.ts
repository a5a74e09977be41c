import type { Db } from "./db/client";
import type { DbMeter } from "./db/meter";
import type { Consumer } from "./auth/consumer";

export type Bindings = {
  DB: D1Database;
  RATE_LIMIT_STANDARD: RateLimit;
  RATE_LIMIT_HIGH: RateLimit;
  RATE_LIMIT_NEW_KEYS: RateLimit;
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
  };
};
