import { describe, expect, it } from "vitest";
import { BASE, createConsumer, createCustomer, get, patch } from "../helpers";

type Page = { count: number; next: string | null; previous: string | null; results: Record<string, unknown>[] };

describe("GET /customers/{id}/changes/", () => {
  it("lists the audit trail newest first, paged like the list, without values", async () => {
    const { key, id: consumerId } = await createConsumer();
    const id = await createCustomer();
    for (let i = 1; i <= 3; i++) await patch(id, { note: `n${i}`, email: `secret${i}@example.fi` }, key, { "X-Request-Id": `chg-${i}` });
    const res = await get(`/customers/${id}/changes/?limit=2`, key);
    expect(res.status).toBe(200);
    const page = await res.json<Page>();
    expect(page.count).toBe(3);
    expect(page.next).toBe(`${BASE}/customers/${id}/changes/?limit=2&offset=2`);
    expect(page.results).toHaveLength(2);
    expect(page.results[0]).toEqual({
      id: expect.any(Number), customer: id, consumer: consumerId, request_id: "chg-3",
      at: expect.stringMatching(/Z$/), action: "update", fields: ["email", "note"],
    });
    expect(page.results.map((change) => change.request_id)).toEqual(["chg-3", "chg-2"]);
    const rest = await (await get(page.next!.slice(BASE.length), key)).json<Page>();
    expect(rest.results.map((change) => change.request_id)).toEqual(["chg-1"]);
    expect(JSON.stringify([page, rest])).not.toContain("secret");
  });

  it("needs GDPR access normal", async () => {
    const { key } = await createConsumer({ gdpr: "none" });
    const res = await get(`/customers/${await createCustomer()}/changes/`, key);
    expect(res.status).toBe(403);
  });

  it("404 for a hidden or missing customer", async () => {
    const { key } = await createConsumer({ gdpr: "normal" });
    expect((await get(`/customers/${await createCustomer({ restricted_type: 2 })}/changes/`, key)).status).toBe(404);
    expect((await get("/customers/987654/changes/", key)).status).toBe(404);
  });
});
