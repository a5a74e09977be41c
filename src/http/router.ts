import { Hono } from "hono/tiny";
import type { AppEnv } from "../env";

/**
 * A router of the app: every path is served with and without its trailing slash, without a redirect.
 * Hono's smallest router (PatternRouter) keeps the bundle small: the app has a few routes.
 */
export const createRouter = () => new Hono<AppEnv>({ strict: false });
