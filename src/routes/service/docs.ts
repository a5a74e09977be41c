import type { Context } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../../env";
import { createRouter } from "../../http/router";
import { operation } from "../operation";

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

/** GET /api/v2/openapi.json: the document, built from the operations by `npm run build:assets`. */
export const openApiDocumentRoute = operation(
  {
    method: "get",
    path: "/api/v2/openapi.json",
    operationId: "openApiDocument",
    tag: "service",
    summary: "This document",
    description: "The OpenAPI 3.1 document, generated from the operations and the schemas that validate requests.",
    answers: {
      200: {
        description: "The OpenAPI document.",
        body: z.looseObject({}).register(z.globalRegistry, { maxProperties: 20 }),
        example: { openapi: "3.1.0" },
      },
    },
  },
  asset,
);

/** GET /docs: a page to read and try the API (Swagger UI on the document). */
export const docsPageRoute = operation(
  {
    method: "get",
    path: "/docs",
    operationId: "documentation",
    tag: "service",
    summary: "This documentation as a page",
    description: "Swagger UI on this document, served by the Worker itself (works offline) under a strict Content-Security-Policy.",
    answers: { 200: { description: "The page.", contentType: "text/html" } },
  },
  asset,
);

/** The page's own files (Swagger UI's script and style): static assets, not operations. */
export const docsFiles = createRouter().get("/docs/*", asset);
