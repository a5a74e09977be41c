import type { Env, Schema } from "hono";
import type { HonoBase } from "hono/hono-base";
import type { BlankEnv } from "hono/types";
import { app } from "./index";

// The type a client project compiles against (`import type { App } from "customer-api"`): the app's
// routes, without the Worker's bindings, whose types only a Workers project has. `npm pack` builds its
// declarations (scripts/build-types.ts), where the inferred type of `routes` is written out in full.

type AppSchema = typeof app extends HonoBase<infer _Env, infer S, infer _Base> ? S : never;
const routesOf = <S extends Schema>(_app: HonoBase<Env, S, "/">) => ({}) as S;
export const routes = routesOf(app as unknown as HonoBase<Env, AppSchema, "/">);

/** The app's routes for Hono's typed client: `hc<App>("https://…")`. */
export type App = HonoBase<BlankEnv, typeof routes, "/">;
