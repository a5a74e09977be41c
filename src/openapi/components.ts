import type * as z from "zod/mini";
import { changeEntry } from "../customers/entries";
import { bulkItem, customerCreate, customerPatch } from "../customers/fields";
import { customerAnswer } from "../customers/gdpr";
import { errorBody } from "../http/errors";
import { DETAILS } from "../http/messages";
import { customerCursorPage, customerPage } from "../routes/customers/list";
import { changeCursorPage, changePage } from "../routes/customers/trail";
import type { SharedAnswer } from "../routes/operation";
import { fieldErrorsBody } from "../validation/errors";
import { attemptAnswer, createdSubscription, rotatedSecret, subscriptionAnswer, webhookCreate, webhookPatch } from "../webhooks/fields";
import { deliveryBody } from "../webhooks/message";

// What the operations share in the OpenAPI document: the shapes it names, the headers and parameters
// every operation has, and the answers that are the same wherever they occur.

export type Json = Record<string, unknown>;

/** The shapes the document names: each is described once, under components.schemas, and referenced. */
export const SCHEMAS = new Map<z.ZodMiniType, string>([
  [customerAnswer, "Customer"],
  [customerPatch, "CustomerPatch"],
  [customerCreate, "CustomerCreate"],
  [bulkItem, "BulkItem"],
  [customerPage, "CustomerPage"],
  [customerCursorPage, "CustomerCursorPage"],
  [changeEntry, "Change"],
  [changePage, "ChangePage"],
  [changeCursorPage, "ChangeCursorPage"],
  [subscriptionAnswer, "WebhookSubscription"],
  [createdSubscription, "NewWebhookSubscription"],
  [webhookCreate, "WebhookCreate"],
  [webhookPatch, "WebhookPatch"],
  [rotatedSecret, "WebhookSecret"],
  [attemptAnswer, "DeliveryAttempt"],
  [deliveryBody, "Delivery"],
  [errorBody, "Error"],
  [fieldErrorsBody, "FieldErrors"],
]);

export const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const text = (maxLength: number, extra: Json = {}) => ({ type: "string", maxLength, ...extra });

/** The headers every answer carries, described once rather than on each answer. */
export const COMMON_HEADERS =
  "Every answer carries `X-Request-Id` and `Server-Timing` (D1 round trips), and one that used D1 `X-D1-Bookmark`: they are described once, in `components.headers`, rather than on each answer.";

export const HEADERS: Record<string, Json> = {
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

// The rate limit and CORS headers are listed on every answer, as the OWASP API rules ask; the other
// common headers are said once, in COMMON_HEADERS.
export const headerRefs = (names: readonly string[] = []) => ({
  headers: Object.fromEntries(["X-RateLimit-Limit", "Access-Control-Allow-Origin", ...names].map((name) => [name, ref("headers", name)])),
});

const parameter = (name: string, description: string, schema: Json) => ({ name, in: "header", required: false, description, schema });

/** The request headers an operation may read, and those every authenticated one takes. */
export const PARAMETERS: Record<string, Json> = {
  "If-Match": parameter("If-Match", 'Update (or erase) only if the customer\'s ETag is one of these (`"3"`); otherwise 412.', text(200)),
  "If-None-Match": parameter("If-None-Match", "Answer 304 if the customer's ETag is one of these (weak comparison).", text(200)),
  "Idempotency-Key": parameter(
    "Idempotency-Key",
    "A retry with the same key and body within 24 hours answers the first result instead of creating again.",
    text(255, { pattern: "^[\\x21-\\x7e]+$" }),
  ),
  "X-Request-Id": parameter(
    "X-Request-Id",
    "Your id for the request, echoed in the response and kept nowhere (the audit trail holds the service's own id).",
    text(255, { pattern: "^[\\w=-]+$" }),
  ),
  "X-D1-Bookmark": parameter("X-D1-Bookmark", "A bookmark from an earlier response: read data at least that fresh.", text(100)),
};

const error = (description: string, message: string, ...ownHeaders: string[]) => ({
  description,
  ...headerRefs(ownHeaders),
  content: { "application/json": { schema: ref("schemas", "Error"), example: { details: message } } },
});

/** The answers that are the same wherever they occur; the operations name them (src/routes/operation.ts). */
export const RESPONSES: Record<
  SharedAnswer | "Unauthorized" | "Forbidden" | "MethodNotAllowed" | "UnsupportedMediaType" | "TooManyRequests" | "ServerError",
  Json
> = {
  ValidationError: {
    description: "Invalid input: every failing field with DRF's messages, or malformed JSON.",
    ...headerRefs(),
    content: {
      "application/json": {
        schema: { anyOf: [ref("schemas", "FieldErrors"), ref("schemas", "Error")] },
        example: { email: ["Enter a valid email address."], address: ['Invalid pk "9" - object does not exist.'] },
      },
    },
  },
  Unauthorized: {
    description: "No credentials, another scheme, or a malformed, unknown, revoked or expired key.",
    ...headerRefs(["WWW-Authenticate"]),
    content: {
      "application/json": {
        schema: ref("schemas", "Error"),
        examples: { missing: { value: { details: DETAILS.notAuthenticated } }, invalid: { value: { details: DETAILS.invalidToken } } },
      },
    },
  },
  Forbidden: error("The consumer lacks the scope, or the GDPR access for these fields or this operation.", DETAILS.forbidden),
  NotFound: error("No such customer, an id that is not a positive integer, or a customer hidden by its GDPR level.", DETAILS.notFound),
  MethodNotAllowed: error("The path does not serve this method.", DETAILS.methodNotAllowed("PUT"), "Allow"),
  PreconditionFailed: error("If-Match holds no current ETag.", DETAILS.preconditionFailed),
  UnsupportedMediaType: error(
    "A body that is not application/json or application/merge-patch+json.",
    DETAILS.unsupportedMediaType("text/plain"),
  ),
  TooManyRequests: error(
    "The consumer is over its rate limit, or its address over the limit of failed keys.",
    DETAILS.throttled,
    "Retry-After",
  ),
  ServerError: error("An unexpected error; nothing was half-written.", DETAILS.serverError),
  Unavailable: error(
    "D1 is unavailable or timed out; nothing was half-written. Retry after the delay.",
    DETAILS.unavailable,
    "Retry-After",
  ),
};

/** The answer to a body over `bytes`. */
export const tooLarge = (bytes: number) =>
  error(`The body is over ${bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`}.`, DETAILS.tooLarge);
