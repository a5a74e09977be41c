import { zValidator } from "@hono/zod-validator";
import type { Context } from "hono";
import type * as z from "zod/mini";
import type { AppEnv } from "../env";
import { toFieldErrors } from "../validation/errors";
import { fieldErrors } from "./errors";

/** Validates the query string with `schema`; bad parameters are 400 field errors (SPEC §5). */
export const validQuery = <T extends z.ZodMiniObject>(schema: T) =>
  zValidator("query", schema, (result, c) =>
    result.success ? undefined : fieldErrors(c as unknown as Context<AppEnv>, toFieldErrors(result.error.issues)),
  );
