import { createMiddleware } from "hono/factory";

/** SPEC §1: JSON names its charset, and no API response (they carry customer data) is cached. */
export const apiResponseHeaders = createMiddleware(async (c, next) => {
  await next();
  if (c.res.headers.get("Content-Type") === "application/json") {
    c.res.headers.set("Content-Type", "application/json; charset=utf-8");
  }
  if (c.req.path.startsWith("/api/")) c.res.headers.set("Cache-Control", "no-store");
});
