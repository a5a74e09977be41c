import { describe, expect, it } from "vitest";
import { auditOf, BASE, createConsumer, createCustomer, get, patch } from "../helpers";

type Page = { count: number; next: string | null; previous: string | null; results: Record<string, unknown>[] };

describe("GET /customers/{id}/changes/", () => {
  it("lists the audit trail newest first, paged like the list, without values", async () => {
    const { key, id: consumerId } = await createConsumer();
    const id = await createCustomer();
    // The trail holds the service's own request id, never the client's.
    const requestIds: (string | null)[] = [];
    for (let i = 1; i <= 3; i++) {
      const res = await patch(id, { note: `n${i}`, email: `secret${i}@example.fi` }, key, { "X-Request-Id": `secret-chg-${i}` });
      expect(res.headers.get("X-Request-Id")).toBe(`secret-chg-${i}`);
      requestIds.push((await auditOf(id)).at(-1)!.request_id);
    }
    for (const requestId of requestIds) expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const res = await get(`/customers/${id}/changes/?limit=2`, key);
    expect(res.status).toBe(200);
    const page = await res.json<Page>();
    expect(page.count).toBe(3);
    expect(page.next).toBe(`${BASE}/customers/${id}/changes/?limit=2&offset=2`);
    expect(page.results).toHaveLength(2);
    expect(page.results[0]).toEqual({
      id: expect.any(Number),
      customer: id,
      consumer: consumerId,
      request_id: requestIds[2],
      at: expect.stringMatching(/Z$/),
      action: "update",
      fields: ["email", "note"],
    });
    expect(page.results.map((change) => change.request_id)).toEqual([requestIds[2], requestIds[1]]);
    const rest = await (await get(page.next!.slice(BASE.length), key)).json<Page>();
    expect(rest.results.map((change) => change.request_id)).toEqual([requestIds[0]]);
    expect(JSON.stringify([page, rest])).not.toContain("secret");
  });

  it("pages in cursor mode, newest first, to the oldest entry, unmoved by entries written meanwhile", async () => {
    const { key } = await createConsumer();
    const id = await createCustomer();
    for (let i = 0; i < 6; i++) await patch(id, { note: `c${i}` }, key);
    const counted = (await (await get(`/customers/${id}/changes/?limit=500`, key)).json<Page>()).results.map((change) => change.id);
    type CursorPage = { next: string | null; previous: null; results: { id: number }[] };
    const served: number[] = [];
    let page = await (await get(`/customers/${id}/changes/?pagination=cursor&limit=2`, key)).json<CursorPage>();
    for (;;) {
      expect(Object.keys(page)).toEqual(["next", "previous", "results"]);
      expect(page.results.length).toBeLessThanOrEqual(2);
      served.push(...page.results.map((change) => change.id));
      if (!page.next) break;
      // A newer entry does not shift the pages still to come.
      await patch(id, { note: `meanwhile ${served.length}` }, key);
      page = await (await get(page.next.slice(BASE.length), key)).json<CursorPage>();
    }
    expect(served).toEqual(counted);
  });

  it("answers 404 in cursor mode for a cursor that is not one, and for a hidden customer", async () => {
    const { key } = await createConsumer();
    const { key: extended } = await createConsumer({ gdpr: "extended" });
    const id = await createCustomer();
    await patch(id, { note: "one" }, key);
    const bad = await get(`/customers/${id}/changes/?cursor=bm90LWEtY3Vyc29y`, key);
    expect(bad.status).toBe(404);
    expect(await bad.json()).toEqual({ details: "Invalid cursor" });
    await patch(id, { restricted_type: 2 }, extended);
    const hidden = await get(`/customers/${id}/changes/?pagination=cursor`, key);
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toEqual({ details: "Not found." });
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
