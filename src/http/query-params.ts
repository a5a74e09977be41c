import type * as z from "zod/mini";
import { toFieldErrors } from "../validation/errors";
import { fieldErrors } from "./errors";
import { validated } from "./validate";

/** Validates the query string with `schema`; bad parameters are 400 field errors. */
export const validQuery = <T extends z.ZodMiniObject>(schema: T) =>
  validated("query", schema, (c, issues) => fieldErrors(c, toFieldErrors(issues)));
