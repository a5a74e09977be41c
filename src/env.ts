import type { Db } from "./db/client";
import type { DbMeter } from "./db/meter";
import type { Consumer } from "./auth/consumer";

export type Bindings = {
  DB: D1Database;
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
