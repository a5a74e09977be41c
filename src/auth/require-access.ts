import { createMiddleware } from "hono/factory";
import { type Access, allows } from "../db/consumers";
import type { AuthenticatedEnv } from "../env";
import { errorAnswer } from "../http/errors";
import { DETAILS } from "../http/messages";

/** 403 unless the consumer has the operation's scope and GDPR access, after authentication as in DRF. */
export const requireAccess = (access: Access) =>
  createMiddleware<AuthenticatedEnv>(async function requireAccess(c, next) {
    if (!allows(c.var.consumer, access)) {
      c.set("securityEvent", "authz_fail");
      return errorAnswer(c, 403, DETAILS.forbidden);
    }
    return next();
  });
