/**
 * The OpenAPI 3.1 document, read from the operations the app serves (src/routes/index.ts): each one's
 * definition gives its path, method, what it needs of the consumer, its parameters, its body and its
 * answers; the shapes come from the zod schemas that validate requests and describe answers. Built by
 * `npm run build:assets` (scripts/build-openapi.ts), never in the Worker; the client's types are
 * generated from it (scripts/build-types.ts).
 */
import * as z from "zod/mini";
import { customerFields } from "../customers/fields";
import { ROUTES } from "../routes";
import type { Answer, OperationSpec, SharedAnswer } from "../routes/operation";
import { DELIVERY_HEADERS, DELIVERY_TYPE, deliveryBody } from "../webhooks/message";
import { COMMON_HEADERS, HEADERS, headerRefs, type Json, PARAMETERS, RESPONSES, ref, SCHEMAS, tooLarge } from "./components";
import { EXAMPLES, WEBHOOK_EXAMPLE_ID } from "./examples";

/** A decimal that a request may send as a number too: what its schema (the answer's, a string) does not say. */
const acceptsNumber = (schema: Json) => ({
  description:
    'A decimal with at most 12 digits and 2 decimals, not negative: a string (`"1250.00"`) or a number (`1250`); answered as a string.',
  anyOf: [...(schema.anyOf as Json[]).slice(0, 1), { type: "number", minimum: 0, maximum: 9_999_999_999.99 }, { type: "null" }],
});

/**
 * JSON Schema of a zod schema (of its output: the values it accepts as they are, or an answer), in
 * which each shape the document names is a reference; `request`: as a request may send it.
 */
function definitionOf(schema: z.core.$ZodType, { request = false } = {}): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: "output",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema: generated }) => {
      const name = SCHEMAS.get(zodSchema as unknown as z.ZodMiniType);
      const replace = (by: Json) => {
        for (const key of Object.keys(generated)) delete (generated as Json)[key];
        Object.assign(generated, by);
      };
      if (name && zodSchema !== schema) replace(ref("schemas", name));
      else if (request && zodSchema === customerFields.cooperative_sum) replace(acceptsNumber(generated as Json));
    },
  }) as Json;
  return rest;
}

/** The schema of a body: a reference where the document names its shape. */
const jsonSchema = (schema: z.ZodMiniType) => (SCHEMAS.has(schema) ? ref("schemas", SCHEMAS.get(schema)!) : definitionOf(schema));

/** The example of an answer: its own, else its shape's, one per shape of a union. */
function examplesOf(answer: Answer): Json {
  if (answer.example !== undefined) return { example: answer.example };
  const body = answer.body as z.ZodMiniType & { _zod: { def: { type: string; options?: z.ZodMiniType[]; element?: z.ZodMiniType } } };
  const def = body._zod.def;
  if (def.type === "array" && EXAMPLES.has(def.element!)) return { example: [EXAMPLES.get(def.element!)] };
  if (def.type !== "union") return { example: EXAMPLES.get(body) };
  const shapes = def.options!.filter((option) => EXAMPLES.has(option));
  return { examples: Object.fromEntries(shapes.map((option) => [SCHEMAS.get(option), { value: EXAMPLES.get(option) }])) };
}

function answerOf(answer: Answer | SharedAnswer): Json {
  if (typeof answer === "string") return ref("responses", answer);
  const { description, body, contentType, headers } = answer;
  const content = body
    ? { "application/json": { schema: jsonSchema(body), ...examplesOf(answer) } }
    : contentType
      ? { [contentType]: { schema: { type: "string", maxLength: 100_000 }, example: "<!doctype html>…" } }
      : undefined;
  return { description, ...headerRefs(headers), ...(content ? { content } : {}) };
}

/** Every answer of an operation: its own, those its definition implies, and 405 on every path. */
function answersOf({ access, body, answers }: OperationSpec): Json {
  const own = Object.fromEntries(Object.entries(answers).map(([status, answer]) => [status, answerOf(answer)]));
  const implied = {
    ...(body ? { 413: tooLarge(body.maxBytes), 415: ref("responses", "UnsupportedMediaType") } : {}),
    ...(access ? { 401: ref("responses", "Unauthorized"), 403: ref("responses", "Forbidden") } : {}),
    405: ref("responses", "MethodNotAllowed"),
    429: ref("responses", "TooManyRequests"),
    500: ref("responses", "ServerError"),
    ...(access ? { 503: ref("responses", "Unavailable") } : {}),
  };
  return { ...implied, ...own };
}

/** What an operation needs of its consumer, in words. */
const needs = ({ access }: OperationSpec) =>
  access ? `Needs \`${access.scope}\`${access.gdpr ? ` and GDPR access \`${access.gdpr}\`` : ""}.` : "No authentication.";

/** A parameter from a zod schema: its description lifted out of the schema. */
function parameterOf(name: string, where: "path" | "query", schema: z.core.$ZodType) {
  const { description, ...rest } = definitionOf(schema);
  return { name, in: where, required: where === "path", description, schema: rest };
}

function parametersOf({ access, params, query, headers = [] }: OperationSpec) {
  return [
    ...Object.entries(params?.shape ?? {}).map(([name, schema]) => parameterOf(name, "path", schema)),
    ...Object.entries(query?.shape ?? {}).map(([name, schema]) => parameterOf(name, "query", schema)),
    ...headers.map((name) => ref("parameters", name)),
    ...(access ? [ref("parameters", "X-Request-Id"), ref("parameters", "X-D1-Bookmark")] : []),
  ];
}

function requestBodyOf({ body }: OperationSpec) {
  if (!body) return {};
  const media = { schema: jsonSchema(body.schema), example: body.example };
  return {
    requestBody: {
      required: true,
      description: body.description,
      content: { "application/json": media, "application/merge-patch+json": media },
    },
  };
}

/** A shape that a request body is made of (itself, or a list of it). */
const isRequestShape = (schema: z.ZodMiniType) =>
  ROUTES.some(({ spec: { body } }) => body && (body.schema === schema || (body.schema as z.ZodMiniArray)._zod.def.element === schema));

function operationOf(spec: OperationSpec): Json {
  const parameters = parametersOf(spec);
  return {
    operationId: spec.operationId,
    tags: [spec.tag ?? "customers"],
    summary: spec.summary,
    description: `${spec.description} ${needs(spec)}`,
    ...(spec.access ? {} : { security: [] }),
    ...(parameters.length ? { parameters } : {}),
    ...requestBodyOf(spec),
    responses: answersOf(spec),
  };
}

const DELIVERY_HEADER_EXAMPLES: Record<keyof typeof DELIVERY_HEADERS, string> = {
  "webhook-id": WEBHOOK_EXAMPLE_ID,
  "webhook-timestamp": "1795767301",
  "webhook-signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
};

/** The delivery a subscription receives (OpenAPI 3.1's `webhooks`): the receiver's side of the contract. */
const deliveryOperation = {
  post: {
    operationId: "deliverCustomerChanges",
    tags: ["webhooks"],
    summary: "A delivery: a page of the change feed, pushed",
    description:
      "Posted to a subscription's URL: 1–100 entries of its consumer's change feed, exactly as the feed shows them (never personal data), in feed order, following those of the last delivery the receiver accepted, with the feed's URL after the last entry. Signed per Standard Webhooks: verify `webhook-signature` with the subscription's secret and any Standard Webhooks library, and refuse a `webhook-timestamp` far from now. At least once: a retry carries the same `webhook-id` and body.",
    security: [],
    parameters: Object.entries(DELIVERY_HEADERS).map(([name, description]) => ({
      name,
      in: "header",
      required: true,
      description,
      schema: { type: "string", maxLength: name === "webhook-signature" ? 200 : 60 },
      example: DELIVERY_HEADER_EXAMPLES[name as keyof typeof DELIVERY_HEADERS],
    })),
    requestBody: {
      required: true,
      content: { "application/json": { schema: ref("schemas", SCHEMAS.get(deliveryBody)!), example: EXAMPLES.get(deliveryBody) } },
    },
    responses: {
      "2XX": { description: "Accepted, within 10 seconds: the next delivery follows this one. The answer's body is not read." },
      default: {
        description:
          "Anything else (another status, a redirect, no answer within 10 seconds): the same delivery is retried, with backoff from 30 seconds to an hour, for 3 days; then the subscription is disabled.",
      },
    },
  },
};

export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const { spec } of ROUTES) paths[spec.path] = { ...paths[spec.path], [spec.method]: operationOf(spec) };
  return {
    openapi: "3.1.0",
    info: {
      title: "Customer API",
      version: "2.0.0",
      description: `Customer records of a water utility, for its integrations (billing, customer portals, field apps). Names, e-mails, phones and ids are personal data under GDPR: every consumer has a GDPR access level. Errors are \`{"details": …}\` or DRF's field errors. ${COMMON_HEADERS}`,
      contact: { name: "Customer API team", email: "customer-api@example.fi" },
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/", description: "This deployment: production, staging or local development alike.", "x-internal": false }],
    security: [{ key: [] }],
    tags: [
      { name: "customers", description: "Customer records and their audit trail." },
      { name: "webhooks", description: "The change feed, pushed to a URL of the consumer's: its subscriptions, and the delivery itself." },
      { name: "service", description: "The service itself." },
    ],
    paths,
    webhooks: { [DELIVERY_TYPE]: deliveryOperation },
    components: {
      securitySchemes: {
        key: {
          type: "http",
          scheme: "bearer",
          description:
            "Your integration's key alone, 40 hexadecimal characters (`Authorization: Bearer <key>`; the service takes `Token <key>` too). In /docs, paste the key into Authorize.",
        },
      },
      schemas: Object.fromEntries([...SCHEMAS].map(([schema, name]) => [name, definitionOf(schema, { request: isRequestShape(schema) })])),
      parameters: PARAMETERS,
      headers: HEADERS,
      responses: RESPONSES,
    },
  };
}
