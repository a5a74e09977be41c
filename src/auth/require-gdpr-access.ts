import { createMiddleware } from "hono/factory";
import { hasAccess } from "../customers/gdpr";
import type { GdprLevel } from "../db/schema";
import type { AuthenticatedEnv } from "../env";
import { details, MESSAGES } from "../http/errors";

/** Operations on personal data as a whole (erasure, the audit trail) need this GDPR access. */
export const requireGdprAccess = (level: GdprLevel) =>
  createMiddleware<AuthenticatedEnv>(async function requireGdprAccess(c, next) {
    if (!hasAccess(c.var.consumer.gdprAccess, level)) {
      c.set("securityEvent", "authz_fail");
      return details(c, 403, MESSAGES.forbidden);
    }
    await next();
  });
