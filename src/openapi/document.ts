/**
 * The OpenAPI 3.1 document. Every schema in it comes from the zod schemas that validate requests
 * (customerFields, the list's query parameters, pagination); the operations, headers and error
 * answers are described here, once, from the contract.
 */
import * as z from "zod/mini";
import { MAX_BULK_ITEMS } from "../customers/bulk";
import { FEED_MAX_LIMIT, feedParams } from "../customers/feed";
import { customerFields, customerResource, WRITABLE_FIELDS } from "../customers/fields";
import { PROTECTED_FIELDS } from "../customers/gdpr";
import { listParams } from "../customers/list";
import { MESSAGES } from "../http/errors";
import { MAX_BODY_BYTES } from "../http/json-body";
import { cursorParams, MAX_LIMIT, pageParams } from "../http/pagination";
import { primaryKey } from "../validation/fields";

type Json = Record<string, unknown>;

function jsonSchema(schema: z.core.$ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Json;
  return rest;
}

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const text = (maxLength: number, extra: Json = {}) => ({ type: "string", maxLength, ...extra });

const MESSAGE = text(1000);
const ERROR_SCHEMA = {
  type: "object",
  properties: { details: MESSAGE },
  required: ["details"],
  additionalProperties: false,
};
const FIELD_ERRORS_SCHEMA = {
  type: "object",
  description: 'DRF\'s shape: each failing field with its messages; errors about several fields under "non_field_errors".',
  maxProperties: 64,
  additionalProperties: { type: "array", maxItems: 8, items: MESSAGE },
};

/** The body of a PATCH: any writable field; unknown fields are refused. */
const patchSchema = jsonSchema(z.partial(z.strictObject(customerFields)));
/** The body of a POST: `name` is required. */
const createSchema = { ...patchSchema, required: ["name"] };

const pageOf = (items: Json, description: string) => ({
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

/** A page of cursor mode: DRF's CursorPagination shape (no count; an export moves only forward). */
const cursorPageOf = (items: Json, description: string) => ({
  type: "object",
  description,
  properties: {
    next: { anyOf: [text(4096, { format: "uri" }), { type: "null" }] },
    previous: { type: "null" },
    results: { type: "array", maxItems: MAX_LIMIT, items },
  },
  required: ["next", "previous", "results"],
  additionalProperties: false,
});

const changeSchema = {
  type: "object",
  properties: {
    id: { type: "integer", format: "int64", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    customer: { type: "integer", format: "int64", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    consumer: {
      description: "The consumer that made the change; null for an erasure in the change feed (ids only).",
      anyOf: [{ type: "integer", format: "int64", minimum: 1, maximum: Number.MAX_SAFE_INTEGER }, { type: "null" }],
    },
    request_id: {
      description: "The service's id of the request; null for an erasure in the change feed.",
      anyOf: [text(255), { type: "null" }],
    },
    at: text(24, { format: "date-time" }),
    action: { type: "string", enum: ["create", "update", "delete"] },
    fields: { type: "array", maxItems: WRITABLE_FIELDS.length, items: { type: "string", enum: WRITABLE_FIELDS } },
  },
  required: ["id", "customer", "consumer", "request_id", "at", "action", "fields"],
  additionalProperties: false,
};

const headers: Record<string, Json> = {
  "X-Request-Id": {
    description: "The request's id: the client's own when valid (1–255 of `A-Za-z0-9_=-`), else a new UUID.",
    schema: text(255, { pattern: "^[\\w=-]+$" }),
  },
  "Server-Timing": {
    description: "How many times the request waited on D1, and for how long.",
    schema: text(100, { example: 'db;desc="round-trips=1";dur=3.2' }),
  },
  "X-RateLimit-Limit": {
    description: "Requests a minute this consumer may make (its rate tier); absent for the unlimited tier and before authentication.",
    schema: { type: "integer", format: "int32", minimum: 1, maximum: 1_000_000 },
  },
  "Access-Control-Allow-Origin": {
    description: "Only for a request whose Origin is one of the configured allowed origins (CORS_ALLOWED_ORIGINS); absent otherwise.",
    schema: text(2048),
  },
  "X-D1-Bookmark": {
    description: "The D1 session's bookmark: send it back to read data at least this fresh (docs/read-replication.md).",
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
const headerRefs = (...names: string[]) => Object.fromEntries(names.map((name) => [name, ref("headers", name)]));
const COMMON = ["X-Request-Id", "Server-Timing", "X-RateLimit-Limit", "Access-Control-Allow-Origin", "X-D1-Bookmark"];

const json = (schema: Json, example?: unknown) => ({
  "application/json": { schema, ...(example === undefined ? {} : { example }) },
});
const answer = (description: string, schema: Json, example: unknown, ...extraHeaders: string[]) => ({
  description,
  headers: headerRefs(...COMMON, ...extraHeaders),
  content: json(schema, example),
});
const details = (description: string, message: string, ...extraHeaders: string[]) =>
  answer(description, ref("schemas", "Error"), { details: message }, ...extraHeaders);

const responses: Record<string, Json> = {
  ValidationError: answer(
    "Invalid input: every failing field with DRF's messages, or malformed JSON.",
    {
      anyOf: [ref("schemas", "FieldErrors"), ref("schemas", "Error")],
    },
    { email: ["Enter a valid email address."], address: ['Invalid pk "9" - object does not exist.'] },
  ),
  Unauthorized: {
    ...details("No credentials, another scheme, or a malformed, unknown, revoked or expired key.", "Invalid token.", "WWW-Authenticate"),
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
  Conflict: details("The Idempotency-Key was used with another body.", "This Idempotency-Key was already used with another request body."),
  PreconditionFailed: details("If-Match holds no current ETag.", MESSAGES.preconditionFailed),
  PayloadTooLarge: details(`The body is over ${MAX_BODY_BYTES / 1024} KiB.`, "Request body is too large."),
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

const parameter = (name: string, location: "query" | "header" | "path", schema: Json, description: string, required = false) => ({
  name,
  in: location,
  required,
  description,
  schema,
});

const QUERY_DESCRIPTIONS: Record<string, string> = {
  limit: "How many results.",
  after: "Where to resume: the `after` of an earlier page's `next` (an opaque cursor).",
  offset: "How many results to skip (not with `pagination=cursor`). Reads every skipped row: prefer cursor mode to go deep.",
  pagination:
    "`cursor`: cursor mode, for sync and export: no count, and `next` until it is `null`. In the list, every customer that exists from the first page to the last is served exactly once, whatever is written meanwhile.",
  cursor: "Where cursor mode goes on: the `cursor` of the previous page's `next` (opaque; in the list, valid for 24 hours).",
  customer_number: "Only the customer with this customer number.",
  status: "Only customers with this status id.",
  type: "Only customers with this type id.",
  water_database: "Only customers of this water database id.",
  modified__gte: "Only customers modified at or after this time (ISO 8601).",
  modified__lt: "Only customers modified before this time (ISO 8601).",
  orderby: "The order; `-` for descending. Ties are broken by id.",
};
const queryParameters = (shape: Record<string, z.core.$ZodType>) =>
  Object.entries(shape).map(([name, schema]) => parameter(name, "query", jsonSchema(schema), QUERY_DESCRIPTIONS[name]!));

const parameters: Record<string, Json> = {
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
const CUSTOMER_ID = parameter(
  "id",
  "path",
  text(16, { pattern: "^[1-9][0-9]{0,15}$", example: "7" }),
  "The customer's id, a positive integer.",
  true,
);
const COMMON_PARAMETERS = [ref("parameters", "RequestId"), ref("parameters", "Bookmark")];

const errors = (...names: string[]) => Object.fromEntries(names.map((name) => [STATUS[name], ref("responses", name)]));
const STATUS: Record<string, string> = {
  ValidationError: "400",
  Unauthorized: "401",
  Forbidden: "403",
  NotFound: "404",
  MethodNotAllowed: "405",
  Conflict: "409",
  PreconditionFailed: "412",
  PayloadTooLarge: "413",
  UnsupportedMediaType: "415",
  TooManyRequests: "429",
  ServerError: "500",
  Unavailable: "503",
};
const ALWAYS = ["Unauthorized", "TooManyRequests", "ServerError", "Unavailable"];
const customerAnswer = (description: string, ...extraHeaders: string[]) =>
  answer(description, ref("schemas", "Customer"), undefined, "ETag", ...extraHeaders);
/** A request body with a small, realistic example, which /docs's "Try it out" offers as it is. */
const body = (schema: string, description: string, example: Json) => ({
  required: true,
  description,
  content: {
    "application/json": { schema: ref("schemas", schema), example },
    "application/merge-patch+json": { schema: ref("schemas", schema), example },
  },
});

/**
 * A customer as answered: the protected fields are there only for consumers with GDPR access,
 * so the schema does not require them.
 */
function customerSchema(): Json {
  const schema = jsonSchema(customerResource) as Json & { required: string[]; properties: Record<string, Json> };
  for (const field of PROTECTED_FIELDS) {
    schema.properties[field] = {
      ...schema.properties[field],
      description: "Personal data: only for consumers with GDPR access `normal` or `extended`.",
    };
  }
  return { ...schema, required: schema.required.filter((field) => !PROTECTED_FIELDS.has(field as never)) };
}

const protectedNote = `With GDPR access \`none\` the protected fields (${[...PROTECTED_FIELDS].join(", ")}) are left out.`;

const paths = {
  "/api/v2/customers/": {
    patch: {
      operationId: "bulkUpdateCustomers",
      tags: ["customers"],
      summary: "Update many customers",
      description: `1–${MAX_BULK_ITEMS} items, each the \`id\` of a customer and any writable fields, as a single PATCH takes them; all applied in one atomic D1 batch, or none. Errors come per item, in request order (\`{}\` for a good item); an id that is missing, hidden or repeated is its item's error. A protected field in any item without GDPR access is 403 for the whole request. Body at most 1 MiB. Needs \`customers:write\`.`,
      parameters: COMMON_PARAMETERS,
      requestBody: {
        required: true,
        description: "The items.",
        content: {
          "application/json": {
            schema: { type: "array", minItems: 1, maxItems: MAX_BULK_ITEMS, items: ref("schemas", "BulkItem") },
            example: [
              { id: 7, note: "Meter moved to the cellar" },
              { id: 8, no_sms: true },
            ],
          },
        },
      },
      responses: {
        "200": answer(
          "The customers after the change, in request order.",
          { type: "array", maxItems: MAX_BULK_ITEMS, items: ref("schemas", "Customer") },
          undefined,
        ),
        "204": {
          description: "Done, for a consumer without `customers:read`: it never receives a customer's data.",
          headers: headerRefs(...COMMON),
        },
        "400": answer(
          "Invalid items (an array of DRF's field errors in request order, `{}` for good items), or a body that is not a list.",
          {
            anyOf: [
              { type: "array", maxItems: MAX_BULK_ITEMS, items: ref("schemas", "FieldErrors") },
              ref("schemas", "FieldErrors"),
              ref("schemas", "Error"),
            ],
          },
          [{}, { email: ["Enter a valid email address."] }],
        ),
        ...errors("Forbidden", "PayloadTooLarge", "UnsupportedMediaType", ...ALWAYS),
      },
    },
    get: {
      operationId: "listCustomers",
      tags: ["customers"],
      summary: "List customers",
      description: `The customers this consumer may see, filtered, ordered and paged: by \`limit\`/\`offset\` with DRF's count (the count and the page in one D1 round trip), or in cursor mode (\`pagination=cursor\`) for sync and export. Needs \`customers:read\`. ${protectedNote}`,
      parameters: [...queryParameters(listParams.shape), ...COMMON_PARAMETERS],
      responses: {
        "200": answer(
          "A page of customers: counted (offset mode), or of cursor mode (`pagination=cursor`).",
          { anyOf: [ref("schemas", "CustomerPage"), ref("schemas", "CustomerCursorPage")] },
          undefined,
        ),
        "404": details("A cursor that is not one this consumer got for this query, or older than 24 hours.", "Invalid cursor"),
        ...errors("ValidationError", "Forbidden", ...ALWAYS),
      },
    },
    post: {
      operationId: "createCustomer",
      tags: ["customers"],
      summary: "Create a customer",
      description: "Needs `customers:write`; personal data needs GDPR access. With Idempotency-Key a retry is safe.",
      parameters: [ref("parameters", "IdempotencyKey"), ...COMMON_PARAMETERS],
      requestBody: body("CustomerCreate", "The new customer: `name` and any other writable fields.", {
        name: "Aino Virtanen",
        email: "aino@example.fi",
        country: "FI",
      }),
      responses: {
        "201": answer(
          "Created (or, for a retry with the same Idempotency-Key, the first result again): the customer; for a consumer without `customers:read`, only its id.",
          {
            anyOf: [
              ref("schemas", "Customer"),
              {
                type: "object",
                properties: { id: { type: "integer", format: "int64", minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
                required: ["id"],
                additionalProperties: false,
              },
            ],
          },
          undefined,
          "ETag",
          "Location",
        ),
        ...errors("ValidationError", "Forbidden", "NotFound", "Conflict", "PayloadTooLarge", "UnsupportedMediaType", ...ALWAYS),
      },
    },
  },
  "/api/v2/customers/{id}/": {
    // Written out, not a $ref: Swagger UI's "Try it out" does not resolve a referenced path parameter.
    parameters: [CUSTOMER_ID],
    get: {
      operationId: "getCustomer",
      tags: ["customers"],
      summary: "Read a customer",
      description: `Needs \`customers:read\`. ${protectedNote}`,
      parameters: [ref("parameters", "IfNoneMatch"), ...COMMON_PARAMETERS],
      responses: {
        "200": customerAnswer("The customer."),
        "304": { description: "Not modified since the ETag given in If-None-Match.", headers: headerRefs(...COMMON, "ETag") },
        ...errors("Forbidden", "NotFound", ...ALWAYS),
      },
    },
    patch: {
      operationId: "updateCustomer",
      tags: ["customers"],
      summary: "Update partial customer data",
      description:
        "Only the fields given change; `null` clears a nullable field (JSON Merge Patch for a flat object). The change is applied in the database itself with its audit row, in one atomic batch and one D1 round trip; `{}` or unchanged values write nothing. `id` and `modified` are read-only and ignored. Needs `customers:write`; personal data and `restricted_type` need GDPR access.",
      parameters: [ref("parameters", "IfMatch"), ...COMMON_PARAMETERS],
      requestBody: body("CustomerPatch", "Any subset of the writable fields.", { note: "Meter moved to the cellar" }),
      responses: {
        "200": customerAnswer("The whole customer after the change."),
        "204": {
          description: "Done, for a consumer without `customers:read`: it never receives a customer's data.",
          headers: headerRefs(...COMMON, "ETag"),
        },
        ...errors("ValidationError", "Forbidden", "NotFound", "PreconditionFailed", "PayloadTooLarge", "UnsupportedMediaType", ...ALWAYS),
      },
    },
    delete: {
      operationId: "eraseCustomer",
      tags: ["customers"],
      summary: "Erase a customer (GDPR)",
      description: "The row is removed; its audit trail keeps only ids and field names. Needs `customers:write` and GDPR access `normal`.",
      parameters: [ref("parameters", "IfMatch"), ...COMMON_PARAMETERS],
      responses: {
        "204": { description: "Erased.", headers: headerRefs(...COMMON) },
        ...errors("Forbidden", "NotFound", "PreconditionFailed", ...ALWAYS),
      },
    },
  },
  "/api/v2/customers/{id}/changes/": {
    // Written out, not a $ref: Swagger UI's "Try it out" does not resolve a referenced path parameter.
    parameters: [CUSTOMER_ID],
    get: {
      operationId: "listCustomerChanges",
      tags: ["customers"],
      summary: "The customer's audit trail",
      description:
        "Newest first, paged like the list: who, which request, when, which action and which fields; never values. Needs `customers:read` and GDPR access `normal`.",
      parameters: [...queryParameters({ ...pageParams, ...cursorParams }), ...COMMON_PARAMETERS],
      responses: {
        "200": answer(
          "A page of the audit trail: counted (offset mode), or of cursor mode (`pagination=cursor`), which reads only its page however deep.",
          { anyOf: [ref("schemas", "ChangePage"), ref("schemas", "ChangeCursorPage")] },
          undefined,
        ),
        ...errors("ValidationError", "Forbidden", "NotFound", ...ALWAYS),
      },
    },
  },
  "/api/v2/changes/": {
    get: {
      operationId: "changeFeed",
      tags: ["customers"],
      summary: "The change feed",
      description:
        "Every audit entry of every customer this consumer may see, oldest first, for a copy kept in sync. `next` is always given: store it and poll it later; a page shorter than `limit` has caught up. An erasure is a `delete` entry with ids only; for a consumer without GDPR access `extended`, a customer that becomes hidden appears as an erasure and one that reappears as a creation. Needs `customers:read` and GDPR access `normal`.",
      parameters: [...queryParameters(feedParams.shape), ...COMMON_PARAMETERS],
      responses: {
        "200": answer(
          "A page of the feed.",
          {
            type: "object",
            properties: {
              next: text(2048, { format: "uri" }),
              results: { type: "array", maxItems: FEED_MAX_LIMIT, items: ref("schemas", "Change") },
            },
            required: ["next", "results"],
            additionalProperties: false,
          },
          undefined,
        ),
        "404": details("A cursor that is not one of this feed's.", "Invalid cursor"),
        ...errors("ValidationError", "Forbidden", ...ALWAYS),
      },
    },
  },
  "/api/v2/openapi.json": {
    get: {
      operationId: "openApiDocument",
      tags: ["service"],
      summary: "This document",
      description: "The OpenAPI 3.1 document, generated from the schemas that validate requests; no authentication.",
      security: [],
      responses: {
        "200": answer("The OpenAPI document.", { type: "object", maxProperties: 20, additionalProperties: true }, undefined),
        ...errors("TooManyRequests", "ServerError"),
      },
    },
  },
  "/docs": {
    get: {
      operationId: "documentation",
      tags: ["service"],
      summary: "This documentation as a page",
      description:
        "Swagger UI on this document, served by the Worker itself (works offline) under a strict Content-Security-Policy; no authentication.",
      security: [],
      responses: {
        "200": { description: "The page.", headers: headerRefs(...COMMON), content: { "text/html": { schema: text(100_000) } } },
        ...errors("TooManyRequests", "ServerError"),
      },
    },
  },
  "/health": {
    get: {
      operationId: "health",
      tags: ["service"],
      summary: "Health",
      description: "200 once D1 answers; no authentication.",
      security: [],
      responses: {
        "200": answer(
          "The service and D1 answer.",
          { type: "object", properties: { status: { type: "string", enum: ["ok"] } }, required: ["status"], additionalProperties: false },
          { status: "ok" },
        ),
        ...errors("TooManyRequests", "ServerError", "Unavailable"),
      },
    },
  },
};

// Every path answers the methods it does not serve with 405: said once here for all operations.
for (const item of Object.values(paths) as Json[]) {
  for (const operation of Object.values(item)) {
    const responses = (operation as { responses?: Json }).responses;
    if (responses) responses["405"] = ref("responses", "MethodNotAllowed");
  }
}

export function openApiDocument(): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "Customer API",
      version: "2.0.0",
      description:
        'Customer records of a water utility, for its integrations (billing, customer portals, field apps). Names, e-mails, phones and ids are personal data under GDPR: every consumer has a GDPR access level. Errors are `{"details": …}` or DRF\'s field errors.',
      contact: { name: "Customer API team", email: "customer-api@example.fi" },
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/", description: "This deployment: production, staging or local development alike.", "x-internal": false }],
    security: [{ token: [] }],
    tags: [
      { name: "customers", description: "Customer records and their audit trail." },
      { name: "service", description: "The service itself." },
    ],
    paths,
    components: {
      securitySchemes: {
        token: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description: "`Token <key>` (or `Bearer <key>`): a 40-hex-character key issued to your integration.",
        },
      },
      schemas: {
        Customer: customerSchema(),
        CustomerPatch: patchSchema,
        CustomerCreate: createSchema,
        BulkItem: { ...patchSchema, properties: { ...(patchSchema.properties as Json), id: jsonSchema(primaryKey()) }, required: ["id"] },
        CustomerPage: pageOf(ref("schemas", "Customer"), "A page of customers."),
        CustomerCursorPage: cursorPageOf(ref("schemas", "Customer"), "A page of customers in cursor mode."),
        Change: changeSchema,
        ChangePage: pageOf(ref("schemas", "Change"), "A page of the audit trail."),
        ChangeCursorPage: cursorPageOf(ref("schemas", "Change"), "A page of the audit trail in cursor mode."),
        Error: ERROR_SCHEMA,
        FieldErrors: FIELD_ERRORS_SCHEMA,
      },
      parameters,
      headers,
      responses,
    },
  };
}
