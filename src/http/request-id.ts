import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

const CLIENT_REQUEST_ID = /^[\w=-]{1,255}$/;

/**
 * Every request gets an id of ours (a UUID): the access log and the audit trail hold it. A client's
 * own valid `X-Request-Id` is echoed in the response but kept nowhere, since it may hold
 * anything, a name included, and the audit trail is shown to other consumers.
 */
export const requestId = createMiddleware<AppEnv>(async function requestId(c, next) {
  const id = crypto.randomUUID();
  c.set("requestId", id);
  await next();
  const theirs = c.req.header("X-Request-Id");
  c.res.headers.set("X-Request-Id", theirs !== undefined && CLIENT_REQUEST_ID.test(theirs) ? theirs : id);
});
