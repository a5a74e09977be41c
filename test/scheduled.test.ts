// The Cron Trigger's retention purge, run with a scheduled controller against the real local D1.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { createConsumer, createCustomer, request } from "./helpers";

const DAY = 24 * 60 * 60 * 1000;
const count = async (table: string, where = "1") =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).first<{ n: number }>())!.n;

const keyedPost = (key: string, idempotencyKey: string, name: string) =>
  request("/customers/", {
    method: "POST",
    key,
    headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
    body: JSON.stringify({ name }),
  });

async function runScheduled(at: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/10 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("the scheduled retention purge", () => {
  it("hands its run to the runtime (waitUntil): once the runtime has waited, the run is done and its counts logged", async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => void lines.push(line);
    try {
      await runScheduled(Date.now());
    } finally {
      console.log = log;
    }
    const ran = lines.map((line) => JSON.parse(line)).find((entry) => entry.event === "retention_purge");
    expect(ran).toMatchObject({ idempotency_records: expect.any(Number), audit_entries: expect.any(Number) });
  });

  it("deletes expired idempotency records and old audit entries, at most PURGE_BATCH_SIZE a run, and keeps the rest", async () => {
    const { key, id: consumer } = await createConsumer();
    const now = Date.now();
    const old = new Date(now - 2 * DAY).toISOString();
    const ancient = new Date(now - 4000 * DAY).toISOString();
    const customer = await createCustomer();
    const statements = [];
    for (let i = 0; i < 15; i++) {
      statements.push(
        env.DB.prepare(
          "INSERT INTO idempotency_keys (consumer_id, key_hash, customer_id, created_at, copy) VALUES (?, ?, ?, ?, 'sealed')",
        ).bind(consumer, `old-${i}`, customer, old),
        env.DB.prepare(
          "INSERT INTO customer_changes (customer_id, consumer_id, request_id, at, action, fields) VALUES (?, ?, 'r', ?, 'update', '[]')",
        ).bind(customer, consumer, ancient),
      );
    }
    await env.DB.batch(statements);
    // Recent ones, made through the API: a keyed POST and its audit entry.
    const post = await keyedPost(key, "kept", "Kept");
    expect(post.status).toBe(201);
    const recentAudit = await count("customer_changes", `at > '${new Date(now - DAY).toISOString()}'`);

    await runScheduled(now); // PURGE_BATCH_SIZE is 10 in the tests
    expect(await count("idempotency_keys", "key_hash LIKE 'old-%'")).toBe(5);
    expect(await count("customer_changes", `at = '${ancient}'`)).toBe(5);
    await runScheduled(now);
    expect(await count("idempotency_keys", "key_hash LIKE 'old-%'")).toBe(0);
    expect(await count("customer_changes", `at = '${ancient}'`)).toBe(0);
    expect(await count("idempotency_keys", "created_at > datetime('now', '-1 day')")).toBe(1);
    expect(await count("customer_changes", `at > '${new Date(now - DAY).toISOString()}'`)).toBe(recentAudit);
  });

  it("a keyed POST no longer purges anything itself", async () => {
    const { key, id: consumer } = await createConsumer();
    const customer = await createCustomer();
    await env.DB.prepare(
      "INSERT INTO idempotency_keys (consumer_id, key_hash, customer_id, created_at, copy) VALUES (?, 'stale', ?, ?, 'sealed')",
    )
      .bind(consumer, customer, new Date(Date.now() - 2 * DAY).toISOString())
      .run();
    const res = await keyedPost(key, "fresh", "Fresh");
    expect(res.status).toBe(201);
    expect(await count("idempotency_keys", "key_hash = 'stale'")).toBe(1);
  });

  it("draws each boundary where it is: records of 24 hours, audit entries of AUDIT_RETENTION_DAYS days", async () => {
    const { id: consumer } = await createConsumer();
    const customer = await createCustomer();
    const now = Date.now();
    const HOUR = 60 * 60 * 1000;
    const retention = Number(env.AUDIT_RETENTION_DAYS) * DAY;
    const at = (age: number) => new Date(now - age).toISOString();
    await env.DB.batch([
      ...[
        ["record-inside", DAY - HOUR],
        ["record-outside", DAY + HOUR],
      ].map(([name, age]) =>
        env.DB.prepare(
          "INSERT INTO idempotency_keys (consumer_id, key_hash, customer_id, created_at, copy) VALUES (?, ?, ?, ?, 'sealed')",
        ).bind(consumer, name, customer, at(age as number)),
      ),
      ...[
        ["audit-inside", retention - HOUR],
        ["audit-outside", retention + HOUR],
      ].map(([name, age]) =>
        env.DB.prepare(
          "INSERT INTO customer_changes (customer_id, consumer_id, request_id, at, action, fields) VALUES (?, ?, ?, ?, 'update', '[]')",
        ).bind(customer, consumer, name, at(age as number)),
      ),
    ]);
    await runScheduled(now);
    expect(await count("idempotency_keys", "key_hash = 'record-inside'")).toBe(1);
    expect(await count("idempotency_keys", "key_hash = 'record-outside'")).toBe(0);
    expect(await count("customer_changes", "request_id = 'audit-inside'")).toBe(1);
    expect(await count("customer_changes", "request_id = 'audit-outside'")).toBe(0);
  });
});
