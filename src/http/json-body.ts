import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { NON_FIELD_ERRORS } from "../validation/errors";
import { JsonNumber } from "../validation/json-number";
import { pyTypeName } from "../validation/python";
import { errorAnswer, fieldErrors } from "./errors";
import { DETAILS } from "./messages";
import { JsonParseError, parsePythonJson } from "./python-json";

export const MAX_BODY_BYTES = 64 * 1024;
const JSON_MEDIA_TYPE = /^application\/(json|merge-patch\+json)\s*(;|$)/i;

/** A JSON object body, parsed once (numbers as written, see JsonNumber) for every later step. */
export type JsonObject = Record<string, unknown>;
export type ObjectBodyEnv = AppEnv & { Variables: { bytes: Uint8Array; body: JsonObject } };

/**
 * Reads the request body, at most `maxBytes` of it: beyond that 413, and the rest of the stream is
 * cancelled at once, so that an oversized (chunked) body leaves nothing half-read behind.
 */
export const bodyLimit = (maxBytes: number) =>
  createMiddleware<AppEnv & { Variables: { bytes: Uint8Array } }>(async function bodyLimit(c, next) {
    const bytes = await readAtMost(c.req.raw, maxBytes);
    if (!bytes) {
      c.set("securityEvent", "input_validation_fail");
      return errorAnswer(c, 413, DETAILS.tooLarge);
    }
    c.set("bytes", bytes);
    return next();
  });

/** Beyond this much, an oversized body is cut off rather than read to its end. */
const MAX_DRAINED_BYTES = 16 * 1024 * 1024;

/**
 * Reads the rest of an oversized body and drops it, so that the connection is left at the start of
 * the next request (a stream left half-read stalls the next request on it); a body longer than
 * MAX_DRAINED_BYTES is cancelled instead.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>) {
  let drained = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    drained += value.byteLength;
    if (drained > MAX_DRAINED_BYTES) return reader.cancel();
  }
}

async function readAtMost(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  const body = request.body;
  if (!body) return new Uint8Array();
  const length = request.headers.get("Content-Length");
  // A declared length within the limit (the runtime holds the body to it) is read in one go.
  if (length !== null && Number(length) <= maxBytes) return new Uint8Array(await request.arrayBuffer());
  const reader = body.getReader();
  if (Number(length) > maxBytes) {
    await drain(reader);
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await drain(reader);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The body as parsed JSON (undefined when empty), or the answer to a body that is not JSON. */
function parsedBody<E extends AppEnv & { Variables: { bytes: Uint8Array } }>(c: Context<E>): { json: unknown } | Response {
  const bytes = c.var.bytes;
  if (bytes.byteLength === 0) return { json: undefined };
  const mediaType = c.req.header("Content-Type") ?? "";
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    c.set("securityEvent", "input_validation_fail");
    return errorAnswer(c, 415, DETAILS.unsupportedMediaType(mediaType));
  }
  try {
    return { json: parsePythonJson(bytes) };
  } catch (error) {
    if (!(error instanceof JsonParseError)) throw error;
    c.set("securityEvent", "input_validation_fail");
    return errorAnswer(c, 400, DETAILS.jsonParseError(error.message));
  }
}

/** DRF's error for a body (or a bulk item) that is not a JSON object. */
export const notADictionary = (json: unknown) => ({
  [NON_FIELD_ERRORS]: [`Invalid data. Expected a dictionary, but got ${pyTypeName(json)}.`],
});

/** Whether a parsed value is a JSON object (not a list, a number or null). */
export const isObject = (json: unknown): json is JsonObject =>
  json !== null && typeof json === "object" && !Array.isArray(json) && !(json instanceof JsonNumber);

/**
 * The body as a JSON object, after `bodyLimit`: 415 for another media type, 400 for malformed JSON or
 * JSON that is not an object. An empty body is no data (`{}`), as in DRF.
 */
export const jsonObjectBody = createMiddleware<ObjectBodyEnv>(async function jsonObjectBody(c, next) {
  const parsed = parsedBody(c);
  if (parsed instanceof Response) return parsed;
  const body = parsed.json === undefined ? {} : parsed.json;
  if (body === null) return fieldErrors(c, { [NON_FIELD_ERRORS]: ["No data provided"] });
  if (!isObject(body)) return fieldErrors(c, notADictionary(body));
  c.set("body", body);
  return next();
});

export type ListBodyEnv = AppEnv & { Variables: { bytes: Uint8Array; items: unknown[] } };

/** The body as a JSON list of at most `maxItems`, with DRF's ListSerializer messages otherwise. */
export const jsonListBody = (maxItems: number) =>
  createMiddleware<ListBodyEnv>(async function jsonListBody(c, next) {
    const parsed = parsedBody(c);
    if (parsed instanceof Response) return parsed;
    const items = parsed.json;
    const problem =
      items === undefined || items === null
        ? "No data provided"
        : !Array.isArray(items)
          ? `Expected a list of items but got type "${pyTypeName(items)}".`
          : items.length === 0
            ? "This list may not be empty."
            : items.length > maxItems
              ? `Ensure this field has no more than ${maxItems} elements.`
              : undefined;
    if (problem) return fieldErrors(c, { [NON_FIELD_ERRORS]: [problem] });
    c.set("items", items as unknown[]);
    return next();
  });
