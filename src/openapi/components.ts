/**
 * The pieces of the OpenAPI document that operations share: schemas generated from the zod schemas
 * that validate requests, headers, parameters, error answers and examples. Each operation's own
 * description lives beside its route (src/customers/*.ts, …) and src/openapi/document.ts puts them
 * together. Everything here is a function or plain data, so the Worker's bundle, which never builds
 * the document, drops it (`npm run build:assets` builds it).
 */
import * as z from "zod/mini";
import { PROTECTED_FIELDS } from "../customers/gdpr";
import { MESSAGES } from "../http/errors";
import { MAX_LIMIT } from "../http/pagination";

export type Json = Record<string, unknown>;
/** One operation: its method, path and OpenAPI Operation Object. */
export type Operation = { method: "get" | "post" | "patch" | "delete"; path: string; spec: Json };

export function jsonSchema(schema: z.core.$ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Json;
  return rest;
}

export const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
export const text = (maxLength: number, extra: Json = {}) => ({ type: "string", maxLength, ...extra });
export const id = (extra: Json = {}) => ({ type: "integer", format: "int64", minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...extra });
const MESSAGE = text(1000);

/** A customer of the demo data (customer 7), as a consumer with GDPR access `normal` reads it. */
export const EXAMPLE_CUSTOMER = {
  id: 7,
  customer_number: "C-100007",
  identification: null,
  name: "Niko Korhonen",
  name_ext: null,
  email: "niko.korhonen7@example.fi",
  phone: "+358 40 9437419",
  phone2: null,
  two_sms_numbers: false,
  no_sms: false,
  personal_id: null,
  invoice_name: null,
  invoice_country: null,
  country: "FI",
  note: null,
  editable_by_customer: false,
  cooperative_member: false,
  cooperative_date: null,
  cooperative_reimbursement_date: null,
  cooperative_sum: null,
  address: 42,
  language: 3,
  restricted_type: null,
  status: 1,
  type: 1,
  apartment: null,
  water_database: 1,
  modified: "2026-11-27T08:15:00.123Z",
};

/** An audit entry of the demo customer: its second, an update of two fields. */
export const EXAMPLE_ENTRY = {
  id: 2,
  customer: 7,
  consumer: 3,
  request_id: "0b6a6f3e-2d9c-4a57-9c59-6d0f2c1f8e41",
  at: "2026-11-27T08:15:00.123Z",
  action: "update",
  fields: ["phone", "note"],
};

const EXAMPLE_URL = "https://customers.example.fi/api/v2";
const CURSOR = "d8T1kq0Jm2n4V-b7cXo3sA";

/** The headers every answer may carry; an answer's own headers (ETag, Location, …) are listed with it. */
export const COMMON_HEADERS =
  "Every answer carries `X-Request-Id` and `Server-Timing` (D1 round trips), and one that used D1 `X-D1-Bookmark`: they are described once, in `components.headers`, rather than on each answer.";

export function headers(): Record<string, Json> {
  return {
    "X-Request-Id": {
      description: "On every answer: the client's own id when valid (1–255 of `A-Za-z0-9_=-`), else a new UUID.",
      schema: text(255, { pattern: "^[\\w=-]+$" }),
    },
    "Server-Timing": {
      description: "On every answer: how many times the request waited on D1, and for how long.",
      schema: text(100, { example: 'db;desc="round-trips=1";dur=3.2' }),
    },
    "X-RateLimit-Limit": {
      description: "Requests a minute this consumer may make (its rate tier); absent for the unlimited tier and before authentication.",
      schema: { type: "integer", format: "int32", minimum: 1, maximum: 1_000_000 },
    },
    "Access-Control-Allow-Origin": {
      description: "Only for a request whose Origin is one of the configured allowed origins (CORS_ALLOWED_ORIGINS).",
      schema: text(2048),
    },
    "X-D1-Bookmark": {
      description: "On every answer that used D1: the session's bookmark; send it back to read data at least this fresh.",
      schema: text(100),
    },
    ETag: { description: 'The customer\'s version, a strong tag: `"<version>"`.', schema: text(20, { pattern: '^"[0-9]+"$' }) },
    Location: { description: "The new customer's URL.", schema: text(2048, { format: "uri" }) },
    "Retry-After": {
      description: "Seconds to wait before trying again.",
      schema: { type: "integer", format: "int32", minimum: 1, maximum: 3600 },
    },
    "WWW-Authenticate": { description: "The scheme to authenticate with.", schema: { type: "string", enum: ["Token"] } },
    Allow: { description: "The methods the path serves.", schema: text(100) },
  };
}

// The rate limit and CORS headers are listed on every answer, as the OWASP API rules ask; the other
// common headers are said once, in COMMON_HEADERS.
const headerRefs = (names: string[]) => ({
  headers: Object.fromEntries(["X-RateLimit-Limit", "Access-Control-Allow-Origin", ...names].map((name) => [name, ref("headers", name)])),
});

/** A JSON answer: its schema, an example, and the headers of its own (the common ones are said once). */
export const answer = (description: string, schema: Json, example: unknown, ...ownHeaders: string[]) => ({
  description,
  ...headerRefs(ownHeaders),
  content: { "application/json": { schema, example } },
});
/** A JSON answer of several shapes, each with its example. */
export const answerOfShapes = (description: string, schema: Json, examples: Record<string, unknown>, ...ownHeaders: string[]) => ({
  description,
  ...headerRefs(ownHeaders),
  content: {
    "application/json": { schema, examples: Object.fromEntries(Object.entries(examples).map(([name, value]) => [name, { value }])) },
  },
});
/** An answer without a body. */
export const empty = (description: string, ...ownHeaders: string[]) => ({ description, ...headerRefs(ownHeaders) });
const details = (description: string, message: string, ...ownHeaders: string[]) =>
  answer(description, ref("schemas", "Error"), { details: message }, ...ownHeaders);

export function responses(): Record<string, Json> {
  return {
    ValidationError: answer(
      "Invalid input: every failing field with DRF's messages, or malformed JSON.",
      { anyOf: [ref("schemas", "FieldErrors"), ref("schemas", "Error")] },
      { email: ["Enter a valid email address."], address: ['Invalid pk "9" - object does not exist.'] },
    ),
    Unauthorized: {
      description: "No credentials, another scheme, or a malformed, unknown, revoked or expired key.",
      ...headerRefs(["WWW-Authenticate"]),
      content: {
        "application/json": {
          schema: ref("schemas", "Error"),
          examples: {
            missing: { value: { details: "Authentication credentials were not provided" } },
            invalid: { value: { details: "Invalid token." } },
          },
        },
      },
    },
    Forbidden: details("The consumer lacks the scope, or the GDPR access for these fields or this operation.", MESSAGES.forbidden),
    NotFound: details("No such customer, an id that is not a positive integer, or a customer hidden by its GDPR level.", MESSAGES.notFound),
    MethodNotAllowed: details("The path does not serve this method.", 'Method "PUT" not allowed.', "Allow"),
    PreconditionFailed: details("If-Match holds no current ETag.", MESSAGES.preconditionFailed),
    UnsupportedMediaType: details(
      "A body that is not application/json or application/merge-patch+json.",
      'Unsupported media type "text/plain" in request.',
    ),
    TooManyRequests: details(
      "The consumer is over its rate limit, or its address over the limit of failed keys.",
      "Request was throttled.",
      "Retry-After",
    ),
    ServerError: details("An unexpected error; nothing was half-written.", "A server error occurred."),
    Unavailable: details(
      "D1 is unavailable or timed out; nothing was half-written. Retry after the delay.",
      "Service temporarily unavailable.",
      "Retry-After",
    ),
  };
}

const STATUS: Record<string, string> = {
  ValidationError: "400",
  Unauthorized: "401",
  Forbidden: "403",
  NotFound: "404",
  MethodNotAllowed: "405",
  PreconditionFailed: "412",
  UnsupportedMediaType: "415",
  TooManyRequests: "429",
  ServerError: "500",
  Unavailable: "503",
};
/** The shared error answers of an operation, by name; those of every authenticated operation come with them. */
export const errors = (...names: string[]) =>
  Object.fromEntries(
    [...names, "Unauthorized", "TooManyRequests", "ServerError", "Unavailable"].map((name) => [STATUS[name], ref("responses", name)]),
  );
/** The error answers of an operation that needs no key. */
export const publicErrors = () =>
  Object.fromEntries(["TooManyRequests", "ServerError"].map((name) => [STATUS[name], ref("responses", name)]));

/** A 400 for bad query parameters, with its own example. */
export const badQuery = (example: Json) =>
  answer("A bad query parameter: each one with DRF's or django-filter's message.", ref("schemas", "FieldErrors"), example);
/** A 404 for a cursor that is not one of this consumer's for this query, or has expired. */
export const invalidCursor = (description: string) => details(description, MESSAGES.invalidCursor);
export const EXAMPLE_FEED_URL = `${EXAMPLE_URL}/changes/?after=${CURSOR}&limit=100`;
export const EXAMPLE_CUSTOMER_PAGE = {
  count: 500,
  next: `${EXAMPLE_URL}/customers/?limit=1&offset=1`,
  previous: null,
  results: [EXAMPLE_CUSTOMER],
};
export const EXAMPLE_CURSOR_PAGE = {
  next: `${EXAMPLE_URL}/customers/?pagination=cursor&limit=1&cursor=${CURSOR}`,
  previous: null,
  results: [EXAMPLE_CUSTOMER],
  changes: EXAMPLE_FEED_URL,
};

export const parameter = (name: string, location: "query" | "header" | "path", schema: Json, description: string, required = false) => ({
  name,
  in: location,
  required,
  description,
  schema,
});
/** Query parameters from a zod shape, each with its description. */
export const queryParameters = (shape: Record<string, z.core.$ZodType>, descriptions: Record<string, string>) =>
  Object.entries(shape).map(([name, schema]) => parameter(name, "query", jsonSchema(schema), descriptions[name]!));

export const PAGE_DESCRIPTIONS = {
  limit: "How many results.",
  offset: "How many results to skip (not with `pagination=cursor`). Reads every skipped row: prefer cursor mode to go deep.",
  pagination: "`cursor`: cursor mode, for sync and export: no count, and `next` until it is `null`.",
  cursor: "Where cursor mode goes on: the `cursor` of the previous page's `next` (opaque, valid for 30 days).",
};

export function parameters(): Record<string, Json> {
  return {
    IfMatch: parameter(
      "If-Match",
      "header",
      text(200),
      'Update (or erase) only if the customer\'s ETag is one of these (`"3"`); otherwise 412.',
    ),
    IfNoneMatch: parameter("If-None-Match", "header", text(200), "Answer 304 if the customer's ETag is one of these (weak comparison)."),
    IdempotencyKey: parameter(
      "Idempotency-Key",
      "header",
      text(255, { pattern: "^[\\x21-\\x7e]+$" }),
      "A retry with the same key and body within 24 hours answers the first result instead of creating again.",
    ),
    RequestId: parameter(
      "X-Request-Id",
      "header",
      text(255, { pattern: "^[\\w=-]+$" }),
      "Your id for the request, echoed in the response and kept nowhere (the audit trail holds the service's own id).",
    ),
    Bookmark: parameter("X-D1-Bookmark", "header", text(100), "A bookmark from an earlier response: read data at least that fresh."),
  };
}
export const COMMON_PARAMETERS = [ref("parameters", "RequestId"), ref("parameters", "Bookmark")];

/**
 * `{id}` of a customer path: an integer, written out rather than referenced (Swagger UI's "Try it out"
 * does not resolve a referenced path parameter). Anything but a positive integer answers 404.
 */
export const CUSTOMER_ID = parameter("id", "path", id({ example: 7 }), "The customer's id, a positive integer.", true);

/** A request body with a small, realistic example, which /docs's "Try it out" offers as it is. */
export const body = (schema: string, description: string, example: unknown) => ({
  required: true,
  description,
  content: {
    "application/json": { schema: ref("schemas", schema), example },
    "application/merge-patch+json": { schema: ref("schemas", schema), example },
  },
});

export const pageOf = (items: Json, description: string) => ({
  type: "object",
  description,
  properties: {
    count: { type: "integer", format: "int64", minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    next: { anyOf: [text(2048, { format: "uri" }), { type: "null" }] },
    previous: { anyOf: [text(2048, { format: "uri" }), { type: "null" }] },
    results: { type: "array", maxItems: MAX_LIMIT, items },
  },
  required: ["count", "next", "previous", "results"],
  additionalProperties: false,
});

/** A page of cursor mode: DRF's CursorPagination shape (no count; cursor mode moves only forward). */
export const cursorPageOf = (items: Json, description: string, extra: Json = {}) => ({
  type: "object",
  description,
  properties: {
    next: { anyOf: [text(4096, { format: "uri" }), { type: "null" }] },
    previous: { type: "null" },
    results: { type: "array", maxItems: MAX_LIMIT, items },
    ...extra,
  },
  required: ["next", "previous", "results"],
  additionalProperties: false,
});

export const ERROR_SCHEMA = {
  type: "object",
  properties: { details: MESSAGE },
  required: ["details"],
  additionalProperties: false,
};
export const FIELD_ERRORS_SCHEMA = {
  type: "object",
  description: 'DRF\'s shape: each failing field with its messages; errors about several fields under "non_field_errors".',
  maxProperties: 64,
  additionalProperties: { type: "array", maxItems: 8, items: MESSAGE },
};

/** 413 for a body over `bytes`. */
export const tooLarge = (bytes: number) =>
  answer(`The body is over ${bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`}.`, ref("schemas", "Error"), {
    details: "Request body is too large.",
  });
/** The answers of a write for a consumer with `customers:write` only: it never receives a customer's data. */
export const writeOnly = "for a consumer without `customers:read`, which never receives a customer's data";

/** What a consumer with GDPR access `none` is not shown. */
export const protectedNote = () => `With GDPR access \`none\` the protected fields (${[...PROTECTED_FIELDS].join(", ")}) are left out.`;
