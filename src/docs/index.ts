import { type Context, Hono } from "hono";
import type { AppEnv } from "../env";

// Only this deployment's own files: the page works offline and nothing else can run in it.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** A file of the Worker's static assets (public/), with a strict CSP. */
async function asset(c: Context<AppEnv>) {
  const res = await c.env.ASSETS.fetch(c.req.raw);
  for (const [name, value] of res.headers) c.header(name, value);
  c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  return c.body(res.body as ReadableStream, res.status as 200);
}

/**
 * GET /api/v2/openapi.json (built from the zod schemas by `npm run build:assets`) and GET /docs, a page
 * to read and try the API (Swagger UI on that document), with the page's files.
 */
export const docs = new Hono<AppEnv>().get("/api/v2/openapi.json", asset).get("/docs", asset).get("/docs/*", asset);
