import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as z from "zod/mini";
import { isDatabaseUnavailable } from "../db/engine/errors";
import type { AppEnv } from "../env";
import type { FieldErrors } from "../validation/errors";
import { DETAILS } from "./messages";

const RETRY_AFTER_SECONDS = "5";

/** The body of an error about the request as a whole. */
export const errorBody = z.strictObject({ details: z.string().register(z.globalRegistry, { maxLength: 1000 }) });

/** An error about the request as a whole: `{"details": "<message>"}`. */
export function errorAnswer<S extends ContentfulStatusCode>(c: Context, status: S, message: string, headers?: Record<string, string>) {
  return c.json({ details: message }, status, headers);
}

/** 400 with DRF's field errors: of the body, or of each item of a list in request order. */
export function fieldErrors<E extends AppEnv>(c: Context<E>, errors: FieldErrors | FieldErrors[]) {
  c.set("securityEvent", "input_validation_fail");
  return c.json(errors, 400);
}

export const notFound: NotFoundHandler = (c) => errorAnswer(c, 404, DETAILS.notFound);

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (isDatabaseUnavailable(error)) return errorAnswer(c, 503, DETAILS.unavailable, { "Retry-After": RETRY_AFTER_SECONDS });
  // The message may hold SQL and its parameters: only the error's class reaches the access log.
  c.set("errorName", error.name);
  return errorAnswer(c, 500, DETAILS.serverError);
};
