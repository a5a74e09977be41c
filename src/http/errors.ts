import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isDatabaseUnavailable } from "../db/errors";
import type { AppEnv } from "../env";
import type { FieldErrors } from "../validation/errors";

export const RETRY_AFTER_SECONDS = "5";

/** The contract's messages for errors about the request as a whole. */
export const MESSAGES = {
  notFound: "Not found.",
  forbidden: "You do not have permission to perform this action.",
  preconditionFailed: "Precondition failed: the customer has changed since it was read.",
  /** Any cursor that cannot be used, whatever the reason (src/http/cursor.ts). */
  invalidCursor: "Invalid cursor",
} as const;

/** An error about the request as a whole: `{"details": "<message>"}`. */
export function details<S extends ContentfulStatusCode>(c: Context, status: S, message: string, headers?: Record<string, string>) {
  return c.json({ details: message }, status, headers);
}

/** 400 with DRF's field errors: of the body, or of each item of a list in request order. */
export function fieldErrors<E extends AppEnv>(c: Context<E>, errors: FieldErrors | FieldErrors[]) {
  c.set("securityEvent", "input_validation_fail");
  return c.json(errors, 400);
}

export const notFound: NotFoundHandler = (c) => details(c, 404, MESSAGES.notFound);

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (isDatabaseUnavailable(error)) {
    return details(c, 503, "Service temporarily unavailable.", { "Retry-After": RETRY_AFTER_SECONDS });
  }
  // The message may hold SQL and its parameters: only the error's class reaches the access log.
  c.set("errorName", error.name);
  return details(c, 500, "A server error occurred.");
};
