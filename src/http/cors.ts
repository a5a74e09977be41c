import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

const handlers = new Map<string, MiddlewareHandler>();

/**
 * CORS for the origins in CORS_ALLOWED_ORIGINS only (no CORS headers unless an allowed
 * origin is configured). A request from any other origin gets no Access-Control-* header at all.
 */
export const corsForAllowedOrigins = createMiddleware<AppEnv>(function corsForAllowedOrigins(c, next) {
  const setting = c.env.CORS_ALLOWED_ORIGINS ?? "";
  const origins = setting.split(",").map((origin) => origin.trim());
  const origin = c.req.header("Origin");
  if (!origin || !origins.includes(origin)) return next();
  let handler = handlers.get(setting);
  if (!handler) {
    handler = cors({
      origin: origins,
      allowMethods: ["GET", "HEAD", "POST", "PATCH", "DELETE"],
      allowHeaders: ["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "X-Request-Id", "X-D1-Bookmark"],
      exposeHeaders: ["ETag", "Location", "Retry-After", "X-Request-Id", "X-D1-Bookmark", "X-RateLimit-Limit", "Server-Timing"],
      maxAge: 600,
    });
    handlers.set(setting, handler);
  }
  return handler(c, next);
});
