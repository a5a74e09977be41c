import type { Handler } from "hono";
import type { AppEnv } from "../env";
import { details } from "./errors";

/** 405 for the methods a path does not serve, with the ones it does in `Allow`. */
export const methodNotAllowed =
  (allowed: string[]): Handler<AppEnv> =>
  (c) =>
    details(c, 405, `Method "${c.req.method}" not allowed.`, { Allow: allowed.join(", ") });
