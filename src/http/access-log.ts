import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

/**
 * One JSON line per request. It names the route pattern, never the URL's values, and holds
 * no header, body or field value: nothing personal or secret can reach the log through it.
 */
export const accessLog = createMiddleware<AppEnv>(async function accessLog(c, next) {
  const start = performance.now();
  await next();
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      request_id: c.var.requestId,
      consumer_id: c.var.consumer?.id ?? null,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - start) * 10) / 10,
      db_round_trips: c.var.db?.meter.roundTrips ?? 0,
      db_rows_read: c.var.db?.meter.rowsRead ?? 0,
      db_rows_written: c.var.db?.meter.rowsWritten ?? 0,
      event: c.var.securityEvent ?? null,
      ...(c.var.errorName ? { error: c.var.errorName } : {}),
    }),
  );
});
