import { createMiddleware } from "hono/factory";
import type { AuthenticatedEnv } from "../env";
import { details, MESSAGES } from "../http/errors";
import type { Scope } from "./consumer";

export const requireScope = (scope: Scope) =>
  createMiddleware<AuthenticatedEnv>(async function requireScope(c, next) {
    if (!c.var.consumer.scopes.has(scope)) {
      c.set("securityEvent", "authz_fail");
      return details(c, 403, MESSAGES.forbidden);
    }
    await next();
  });
