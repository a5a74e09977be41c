import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { createDb } from "./client";
import { DbMeter } from "./meter";

/**
 * Gives the request its Drizzle client and reports what it cost in
 * `Server-Timing: db;desc="round-trips=<n>";dur=<ms>` (SPEC §1).
 */
export const database = createMiddleware<AppEnv>(async (c, next) => {
  const meter = new DbMeter();
  c.set("dbMeter", meter);
  c.set("db", createDb(c.env.DB, meter));
  await next();
  c.res.headers.set("Server-Timing", `db;desc="round-trips=${meter.roundTrips}";dur=${meter.durationMs.toFixed(1)}`);
});
