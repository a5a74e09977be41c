import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env";

/** GET /health: no authentication; 200 once D1 answers (a failure becomes 503 in onError). */
export const health = new Hono<AppEnv>().get("/health", async (c) => {
  await c.var.db.run(sql`SELECT 1`);
  return c.json({ status: "ok" });
});
