import { createMiddleware } from "hono/factory";

// An API's share of the usual security headers: nothing here is to be sniffed, framed or referred.
const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/**
 * For every response: the security headers, JSON that names its charset, and no caching of
 * any API response (they carry customer data).
 */
export const responseHeaders = createMiddleware(async function responseHeaders(c, next) {
  await next();
  const headers = c.res.headers;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  if (headers.get("Content-Type") === "application/json") headers.set("Content-Type", "application/json; charset=utf-8");
  if (c.req.path.startsWith("/api/")) headers.set("Cache-Control", "no-store");
});
