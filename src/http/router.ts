import { Hono } from "hono";
import type { AppEnv } from "../env";

/**
 * A router of the app: every path is served with and without its trailing slash, without a redirect.
 * Each operation's file makes its own, and src/index.ts mounts them.
 */
export const createRouter = () => new Hono<AppEnv>({ strict: false });
