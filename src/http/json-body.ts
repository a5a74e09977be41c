import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { NON_FIELD_ERRORS } from "../validation/errors";
import { details, fieldErrors } from "./errors";
import { describeJsonError } from "./json-parse-error";

export const MAX_BODY_BYTES = 64 * 1024;
const JSON_MEDIA_TYPE = /^application\/(json|merge-patch\+json)\s*(;|$)/i;

const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => {
    c.set("securityEvent", "input_validation_fail");
    return details(c, 413, "Request body is too large.");
  },
});

/**
 * Reads a JSON object body (SPEC §1, §4): 413 over 64 KiB, 415 for another media type, 400 for
 * malformed JSON or JSON that is not an object. An empty body means no data, as in DRF: it is
 * read as `{}` by whatever reads the body after this (`c.req.json()`, the zod validator).
 */
export const jsonBody = createMiddleware<AppEnv>((c, next) =>
  limitBody(c, async () => {
    const mediaType = c.req.header("Content-Type") ?? "";
    // Hono keeps the promise of the text here (its type says string).
    const readAs = (text: string) => ((c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text));
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      // Another media type is fine only for an empty body (read as bytes: it is not text).
      if ((await c.req.arrayBuffer()).byteLength > 0) {
        c.set("securityEvent", "input_validation_fail");
        c.res = details(c, 415, `Unsupported media type "${mediaType}" in request.`);
        return;
      }
      readAs("{}");
      return next();
    }
    const text = await c.req.text();
    if (text === "") readAs("{}");
    else {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        c.set("securityEvent", "input_validation_fail");
        c.res = details(c, 400, describeJsonError(error, text));
        return;
      }
      const problem = notAnObject(body, text);
      if (problem) {
        c.res = fieldErrors(c, { [NON_FIELD_ERRORS]: [problem] });
        return;
      }
    }
    await next();
  }),
);

function notAnObject(body: unknown, text: string): string | undefined {
  if (body === null) return "No data provided";
  if (typeof body === "object" && !Array.isArray(body)) return undefined;
  // The names of Python's types, as DRF reports them.
  const type = Array.isArray(body)
    ? "list"
    : typeof body === "string"
      ? "str"
      : typeof body === "boolean"
        ? "bool"
        : /^\s*-?\d+\s*$/.test(text)
          ? "int"
          : "float";
  return `Invalid data. Expected a dictionary, but got ${type}.`;
}
