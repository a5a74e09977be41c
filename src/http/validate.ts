import { zValidator } from "@hono/zod-validator";
import type { Context } from "hono";
import type * as z from "zod/mini";
import type { AppEnv } from "../env";

/**
 * Validates the path parameters or the query string with `schema` (request bodies: src/customers/body.ts).
 * An invalid one gets `onInvalid`'s answer. The one cast zValidator needs lives here: it cannot infer
 * the app's Env from a hook.
 */
export const validated = <Target extends "param" | "query", Schema extends z.ZodMiniObject>(
  target: Target,
  schema: Schema,
  onInvalid: (c: Context<AppEnv>, issues: readonly z.core.$ZodIssue[]) => Response,
) =>
  zValidator(target, schema, (result, c) => (result.success ? undefined : onInvalid(c as unknown as Context<AppEnv>, result.error.issues)));
