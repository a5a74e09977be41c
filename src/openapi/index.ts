import { Hono } from "hono";
import type { AppEnv } from "../env";
import { openApiDocument } from "./document";

let document: ReturnType<typeof openApiDocument> | undefined;

/** GET /api/v2/openapi.json, built on first use (not at start-up, which would slow a cold start). */
export const openapi = new Hono<AppEnv>().get("/api/v2/openapi.json", (c) => c.json((document ??= openApiDocument())));
