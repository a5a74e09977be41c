import type { Context, MiddlewareHandler } from "hono";
import type * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireAccess } from "../auth/require-access";
import type { Access, Consumer } from "../db/consumers";
import type { IfMatch } from "../db/engine/items";
import type { AppEnv } from "../env";
import { errorAnswer } from "../http/errors";
import { ifMatchHeader } from "../http/etag";
import { bodyLimit, type JsonObject, jsonListBody, jsonObjectBody } from "../http/json-body";
import { DETAILS } from "../http/messages";
import { validQuery } from "../http/query-params";
import { createRouter } from "../http/router";
import { validated } from "../http/validate";
import { fieldErrorsBody } from "../validation/errors";

// One operation, defined once: the object that registers its route (what it needs of the consumer,
// the checks of its request) also describes it in the OpenAPI document (src/openapi/document.ts),
// from which the client's types come. Each route file under src/routes/ defines one.

export type Method = "get" | "post" | "patch" | "delete";

/** Answers that the OpenAPI document's components describe once (src/openapi/components.ts). */
export type SharedAnswer = "ValidationError" | "NotFound" | "PreconditionFailed" | "Unavailable";

/** One answer of an operation, as the OpenAPI document describes it. */
export type Answer = {
  description: string;
  /** The JSON body's schema, and an example where its schema's own (src/openapi/examples.ts) would not say what this answer says. */
  body?: z.ZodMiniType;
  example?: unknown;
  /** An answer that is not JSON: its media type. */
  contentType?: "text/html";
  /** The answer's own headers (those of every answer are described once). */
  headers?: readonly ("ETag" | "Location")[];
};

/** The answer to a bad query parameter, with an example of this operation's own. */
export const badQuery = (example: Record<string, string[]>): Answer => ({
  description: "A bad query parameter: each one with DRF's or django-filter's message.",
  body: fieldErrorsBody,
  example,
});

/** A request body: a JSON object or a list of at most `maxItems`, read up to `maxBytes`, validated by `schema`. */
type RequestBody = { maxBytes: number; schema: z.ZodMiniType; description: string; example: unknown } & (
  | { shape: "object" }
  | { shape: "list"; maxItems: number }
);

export type OperationSpec = {
  method: Method;
  /** The path as the OpenAPI document writes it; it is served with and without its trailing slash. */
  path: `/${string}`;
  operationId: string;
  summary: string;
  /** What it does; the document adds what it needs ("Needs …") from `access`. */
  description: string;
  tag?: "service" | "webhooks";
  /** What it needs of its consumer; without it, it is public (no key). */
  access?: Access;
  /** The path's parameters: one that does not validate names nothing (404). */
  params?: z.ZodMiniObject;
  /** The query: a bad parameter is a 400 with field errors. */
  query?: z.ZodMiniObject;
  /** The request headers it reads; If-Match is parsed before its handlers (src/http/etag.ts). */
  headers?: readonly ("If-Match" | "If-None-Match" | "Idempotency-Key")[];
  body?: RequestBody;
  /** Its own answers; those of every authenticated operation (401, 403, 429, 500, 503) and 405 are added. */
  answers: Record<number, Answer | SharedAnswer>;
};

/** No members: what an intersection adds when a part is absent. */
type Nothing = Record<never, never>;

/** What an operation's checks establish, from its definition: the consumer, If-Match, the body. */
type Variables<S extends OperationSpec> = (S extends { access: Access } ? { consumer: Consumer } : Nothing) &
  (S extends { headers: readonly (infer H)[] } ? ("If-Match" extends H ? { ifMatch: IfMatch } : Nothing) : Nothing) &
  (S extends { body: { shape: "list" } }
    ? { bytes: Uint8Array; items: unknown[] }
    : S extends { body: RequestBody }
      ? { bytes: Uint8Array; body: JsonObject }
      : Nothing);
type Valid<S extends OperationSpec> = {
  out: (S extends { params: infer P extends z.ZodMiniObject } ? { param: z.output<P> } : Nothing) &
    (S extends { query: infer Q extends z.ZodMiniObject } ? { query: z.output<Q> } : Nothing);
};

/** The context an operation's handlers see: what its checks have established. */
export type OperationContext<S extends OperationSpec> = Context<AppEnv & { Variables: Variables<S> }, string, Valid<S>>;

export type Route = { spec: OperationSpec; handlers: MiddlewareHandler[] };

/** `/api/v2/customers/{id}/` as Hono routes it: `/api/v2/customers/:id`. */
export const routePath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1").replace(/(.)\/$/, "$1");

/**
 * What an operation checks before its own handlers, from its definition, in the contract's order
 * (docs/decisions.md): the key and its access, the path, the query, If-Match, then the body.
 */
function requestChecks({ access, params, query, headers, body }: OperationSpec): MiddlewareHandler[] {
  return [
    ...(access ? [authenticate, requireAccess(access)] : []),
    ...(params ? [validated("param", params, (c) => errorAnswer(c, 404, DETAILS.notFound))] : []),
    ...(query ? [validQuery(query)] : []),
    ...(headers?.includes("If-Match") ? [ifMatchHeader] : []),
    ...(body ? [bodyLimit(body.maxBytes), body.shape === "list" ? jsonListBody(body.maxItems) : jsonObjectBody] : []),
  ] as MiddlewareHandler[];
}

/**
 * Defines an operation: its description and, after the checks its definition implies, its handlers
 * (middleware of its own, then the handler, a named function so that stack traces name it).
 */
export function operation<const S extends OperationSpec>(
  spec: S,
  // Middleware of its own declares the variables it needs itself (createMiddleware), so it is taken as it is.
  ...handlers: [...MiddlewareHandler[], (c: OperationContext<S>) => Response | Promise<Response>]
): Route {
  return { spec, handlers: [...requestChecks(spec), ...(handlers as MiddlewareHandler[])] };
}

/** The app's routes, each operation on its path, and 405 on a path for the methods it does not serve (after authentication, as in DRF). */
export function routerOf(routes: readonly Route[]) {
  const router = createRouter();
  const served = new Map<string, { methods: Set<string>; public: boolean }>();
  for (const { spec, handlers } of routes) {
    const path = routePath(spec.path);
    router.on(spec.method.toUpperCase(), path, ...(handlers as [MiddlewareHandler]));
    const entry = served.get(path) ?? { methods: new Set<string>(), public: !spec.access };
    entry.methods.add(spec.method.toUpperCase());
    served.set(path, entry);
  }
  for (const [path, { methods, public: isPublic }] of served) {
    if (isPublic) continue;
    const allowed = ["GET", "HEAD", "POST", "PATCH", "DELETE"].filter(
      (method) => methods.has(method) || (method === "HEAD" && methods.has("GET")),
    );
    router.all(path, authenticate, (c) => errorAnswer(c, 405, DETAILS.methodNotAllowed(c.req.method), { Allow: allowed.join(", ") }));
  }
  return router;
}
