import { sql } from "drizzle-orm";
import { createRouter } from "../http/router";
import { answer, type Operation, publicErrors, ref } from "../openapi/components";

/** GET /health: no authentication; 200 once D1 answers (a failure becomes 503 in onError). */
export const health = createRouter().get("/health", async (c) => {
  await c.var.db.run(sql`SELECT 1`);
  return c.json({ status: "ok" });
});

/** GET /health as the OpenAPI document describes it. */
export const healthOperation = (): Operation => ({
  method: "get",
  path: "/health",
  spec: {
    operationId: "health",
    tags: ["service"],
    summary: "Health",
    description: "200 once D1 answers and the Worker's configuration is complete; no authentication.",
    security: [],
    responses: {
      "200": answer(
        "The service and D1 answer.",
        { type: "object", properties: { status: { type: "string", enum: ["ok"] } }, required: ["status"], additionalProperties: false },
        { status: "ok" },
      ),
      ...publicErrors(),
      "503": ref("responses", "Unavailable"),
    },
  },
});
