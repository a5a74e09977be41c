// The type a client project compiles against (`import type { App } from "customer-api"`): the API as
// Hono's typed client (hc<App>) sees it, made from the OpenAPI document's types (./openapi.d.ts,
// generated), so that the client and the document agree. It needs only `hono` and `typescript`.
import type { Hono } from "hono";
import type { paths } from "./openapi.js";

type Methods = "get" | "post" | "put" | "patch" | "delete";
/** No members: what an intersection adds when a part is absent. */
type Nothing = Record<never, never>;

/** "/api/v2/customers/{id}/" as Hono's client writes it: "/api/v2/customers/:id". */
type RoutePath<P extends string> = P extends `${infer Head}{${infer Name}}${infer Tail}`
  ? RoutePath<`${Head}:${Name}${Tail}`>
  : P extends `${infer Trimmed}/`
    ? Trimmed extends ""
      ? "/"
      : Trimmed
    : P;

/** A query parameter may be sent as its type or as the text of it. */
type Query<Q> = { [K in keyof Q]: Q[K] | string };

/** What a request of an operation sends: its path parameters (as text), query, headers and JSON body. */
type Input<Op> = (Op extends { parameters: { path: infer P } } ? { param: { [K in keyof P]: string } } : Nothing) &
  (Op extends { parameters: { query?: infer Q } } ? ([Q] extends [undefined] ? Nothing : { query?: Query<NonNullable<Q>> }) : Nothing) &
  (Op extends { parameters: { header?: infer H } } ? ([H] extends [undefined] ? Nothing : { header?: NonNullable<H> }) : Nothing) &
  (Op extends { requestBody: { content: { "application/json": infer B } } } ? { json: B } : Nothing);

type Output<R> = R extends { content: { "application/json": infer J } }
  ? { output: J; outputFormat: "json" }
  : { output: Nothing; outputFormat: "body" };

/** Every answer of an operation: one endpoint per status, as Hono's client tells them apart by `status`. */
type Endpoints<Op> = Op extends { responses: infer R }
  ? { [S in keyof R & number]: { input: Input<Op>; status: S } & Output<R[S]> }[keyof R & number]
  : never;

type AppSchema = {
  [P in keyof paths & string as RoutePath<P>]: { [M in Methods as paths[P][M] extends object ? `$${M}` : never]: Endpoints<paths[P][M]> };
};

/** The app's routes for Hono's typed client: `hc<App>("https://…")`. */
export type App = Hono<Nothing, AppSchema, "/">;

export type { components, operations, paths } from "./openapi.js";
