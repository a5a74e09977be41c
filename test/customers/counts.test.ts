// A list's count comes from counters kept by triggers: after any mix of writes it must still be
// exactly the number of customers each view sees, for every filter the counters keep.
import { env } from "cloudflare:test";
import { beforeAll, expect, it } from "vitest";
import { createConsumer, createCustomer, get, patch, request } from "../helpers";

let normal: string;
let extended: string;
beforeAll(async () => {
  ({ key: normal } = await createConsumer({ gdpr: "normal" }));
  ({ key: extended } = await createConsumer({ gdpr: "extended" }));
  await env.DB.prepare("INSERT INTO water_databases (id, name) VALUES (1, 'North'), (2, 'South')").run();
});

async function truth(where: string, seesHidden: boolean) {
  const visible = seesHidden ? "1" : "(restricted_type IS NULL OR restricted_type != 2)";
  return (await env.DB.prepare(`SELECT count(*) AS n FROM customers WHERE ${where} AND ${visible}`).first<{ n: number }>())!.n;
}

it("counts exactly, for each GDPR view and each counted filter, after creates, updates, hiding, bulk updates and erasures", async () => {
  const ids = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      createCustomer({ status: 1 + (i % 2), type: i % 3 === 0 ? null : 2, water_database: 1 + (i % 2) }),
    ),
  );
  await request("/customers/", {
    method: "POST",
    key: normal,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "New", status: 2 }),
  });
  await patch(ids[0]!, { status: 2, type: 1 }, normal);
  await patch(ids[1]!, { restricted_type: 2 }, extended);
  await patch(ids[2]!, { restricted_type: 2, status: 1 }, extended);
  await patch(ids[2]!, { restricted_type: null }, extended);
  await patch(ids[3]!, { restricted_type: 1, water_database: null }, normal);
  await request("/customers/", {
    method: "PATCH",
    key: normal,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify([
      { id: ids[4], status: 1 },
      { id: ids[5], type: 1, water_database: 2 },
    ]),
  });
  await request(`/customers/${ids[6]}/`, { method: "DELETE", key: normal });
  await request(`/customers/${ids[1]}/`, { method: "DELETE", key: extended });

  for (const [query, where] of [
    ["", "1"],
    ["?status=1", "status = 1"],
    ["?status=2", "status = 2"],
    ["?type=1", "type = 1"],
    ["?type=2", "type = 2"],
    ["?water_database=1", "water_database = 1"],
    ["?water_database=2", "water_database = 2"],
    ["?status=2&type=2", "status = 2 AND type = 2"],
  ]) {
    for (const [key, seesHidden] of [
      [normal, false],
      [extended, true],
    ] as const) {
      const res = await get(`/customers/${query}`, key);
      expect((await res.json<{ count: number }>()).count, `${query} ${seesHidden}`).toBe(await truth(where!, seesHidden));
    }
  }
});

it("a customer's trail counts its entries without counting them, the purged ones gone", async () => {
  const id = await createCustomer();
  for (let i = 0; i < 3; i++) await patch(id, { note: `n${i}` }, normal);
  const page = await (await get(`/customers/${id}/changes/?limit=1`, normal)).json<{ count: number }>();
  expect(page.count).toBe(3);
  await env.DB.prepare("DELETE FROM customer_changes WHERE id = (SELECT min(id) FROM customer_changes WHERE customer_id = ?)")
    .bind(id)
    .run();
  expect((await (await get(`/customers/${id}/changes/?limit=1`, normal)).json<{ count: number }>()).count).toBe(2);
});
