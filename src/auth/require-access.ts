import { createMiddleware } from "hono/factory";
import { type GdprLevel, hasAccess, type Scope } from "../db/consumers";
import type { AuthenticatedEnv } from "../env";
import { errorAnswer } from "../http/errors";
import { DETAILS } from "../http/messages";

/** What an operation needs of its consumer: a scope, and for personal data as a whole (erasure, trails, the feed) a GDPR access. */
export type Access = { scope: Scope; gdpr?: GdprLevel };

/** 403 unless the consumer has the operation's scope and GDPR access, after authentication as in DRF. */
export const requireAccess = ({ scope, gdpr }: Access) =>
  createMiddleware<AuthenticatedEnv>(async function requireAccess(c, next) {
    const { scopes, gdprAccess } = c.var.consumer;
    if (!scopes.has(scope) || (gdpr && !hasAccess(gdprAccess, gdpr))) {
      c.set("securityEvent", "authz_fail");
      return errorAnswer(c, 403, DETAILS.forbidden);
    }
    return next();
  });
