import { sql } from "drizzle-orm";
import * as z from "zod/mini";
import { query } from "../../db/engine/database";
import { operation } from "../operation";

/** GET /health: no authentication; 200 once D1 answers (a failure becomes 503 in onError). */
export const healthRoute = operation(
  {
    method: "get",
    path: "/health",
    operationId: "health",
    tag: "service",
    summary: "Health",
    description: "200 once D1 answers and the Worker's configuration is complete.",
    answers: {
      200: { description: "The service and D1 answer.", body: z.strictObject({ status: z.literal("ok") }), example: { status: "ok" } },
      503: "Unavailable",
    },
  },
  async function getHealth(c) {
    await query(c.var.db, sql`SELECT 1`);
    return c.json({ status: "ok" });
  },
);
