import { Hono } from "hono";
import type { AppEnv } from "../env";
import { patchCustomer } from "./patch";

/** /api/v2/customers */
export const customers = new Hono<AppEnv>().route("/", patchCustomer);
