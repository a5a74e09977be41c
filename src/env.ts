/// <reference path="../worker-configuration.d.ts" />
import type { Consumer } from "./db/consumers";
import type { Db } from "./db/engine/database";

/** The Worker's bindings, vars and secrets, as `npm run types` (wrangler types) generates them from wrangler.toml. */
export type Bindings = Env;

/** The security events of the OWASP logging vocabulary that a request may raise. */
type SecurityEvent = "authn_fail" | "authz_fail" | "input_validation_fail" | "sensitive_update" | "rate_limit_exceeded";

export type AppEnv = {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    /** The request's D1 session, metered (src/http/database-session.ts). */
    db: Db;
    consumer?: Consumer;
    securityEvent?: SecurityEvent;
    /** The class of an unexpected error (a 500), for the access log. */
    errorName?: string;
  };
};

/** After `authenticate`: the consumer is known. */
export type AuthenticatedEnv = AppEnv & { Variables: { consumer: Consumer } };
