import type { Context } from "hono";
import type { AppEnv } from "../env";
import { createRouter } from "../http/router";
import { answer, empty, type Operation, publicErrors, text } from "../openapi/components";

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
export const docs = createRouter().get("/api/v2/openapi.json", asset).get("/docs", asset).get("/docs/*", asset);

/** GET /api/v2/openapi.json and GET /docs as the OpenAPI document describes them. */
export const docsOperations = (): Operation[] => [
  {
    method: "get",
    path: "/api/v2/openapi.json",
    spec: {
      operationId: "openApiDocument",
      tags: ["service"],
      summary: "This document",
      description: "The OpenAPI 3.1 document, generated from the schemas that validate requests; no authentication.",
      security: [],
      responses: {
        "200": answer("The OpenAPI document.", { type: "object", maxProperties: 20, additionalProperties: true }, { openapi: "3.1.0" }),
        ...publicErrors(),
      },
    },
  },
  {
    method: "get",
    path: "/docs",
    spec: {
      operationId: "documentation",
      tags: ["service"],
      summary: "This documentation as a page",
      description:
        "Swagger UI on this document, served by the Worker itself (works offline) under a strict Content-Security-Policy; no authentication.",
      security: [],
      responses: {
        "200": { ...empty("The page."), content: { "text/html": { schema: text(100_000), example: "<!doctype html>…" } } },
        ...publicErrors(),
      },
    },
  },
];
