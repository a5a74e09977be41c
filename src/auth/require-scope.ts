import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { details } from "../http/errors";
import type { Scope } from "./consumer";

export const requireScope = (scope: Scope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.consumer?.scopes.has(scope)) {
      c.set("securityEvent", "authz_fail");
      return details(c, 403, "You do not have permission to perform this action.");
    }
    await next();
  });
