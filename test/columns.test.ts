// D1 answers rows as objects by column name, which the database layer decodes by the schema's names:
// a statement that selected two columns of one name would lose one of them without a word. Every
// kind of request runs here against a D1 that asks each SELECT for its column names.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { columnChecking, fetchWith } from "./env-doubles";
import { BASE, createConsumer, createCustomer } from "./helpers";

describe("every SELECT the Worker runs", () => {
  it("names each of its columns once", async () => {
    const { db, seen } = columnChecking(env.DB);
    const { key } = await createConsumer({ gdpr: "extended" });
    const id = await createCustomer({ customer_number: `COL-${crypto.randomUUID()}`, cooperative_date: "2020-06-15" });
    const other = await createCustomer({ customer_number: `COL-${crypto.randomUUID()}` });
    const send = async (path: string, init: RequestInit = {}) => {
      const headers = { Authorization: `Token ${key}`, "Content-Type": "application/json", ...init.headers };
      return (await fetchWith(db, new Request(`${BASE}${path}`, { ...init, headers }))).status;
    };
    const json = (value: unknown) => JSON.stringify(value);
    const statuses = [
      await send(`/customers/${id}/`),
      await send("/customers/?status=1&orderby=-modified"),
      await send("/customers/?pagination=cursor&orderby=customer_number"),
      await send(`/customers/${id}/changes/`),
      await send(`/customers/${id}/changes/?pagination=cursor`),
      await send("/changes/"),
      await send(`/customers/${id}/`, { method: "PATCH", body: json({ note: "columns" }) }),
      await send(`/customers/${id}/`, { method: "PATCH", body: json({ note: "columns" }) }),
      await send(`/customers/${id}/`, { method: "PATCH", body: json({ cooperative_reimbursement_date: "2020-01-01", address: 404_404 }) }),
      await send(`/customers/${id}/`, { method: "PATCH", body: json({ email: "x", language: 404_404 }) }),
      await send("/customers/", {
        method: "PATCH",
        body: json([
          { id, note: "a" },
          { id: other, note: "b" },
        ]),
      }),
      await send("/customers/", { method: "PATCH", body: json([{ id, note: "a" }, { id: 999_999_999 }]) }),
      await send("/customers/", { method: "POST", body: json({ name: "N" }), headers: { "Idempotency-Key": "columns" } }),
      await send("/customers/", { method: "POST", body: json({ name: "N" }), headers: { "Idempotency-Key": "columns" } }),
      await send(`/customers/${other}/`, { method: "DELETE", headers: { "If-Match": '"9"' } }),
    ];
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 400, 400, 200, 400, 201, 201, 412]);
    expect(seen.selects).toBeGreaterThan(10);
    expect(seen.duplicated).toEqual([]);
  });

  it("a SELECT of two columns of one name is caught", async () => {
    const { db, seen } = columnChecking(env.DB);
    await db.withSession().prepare("SELECT 1 AS id, 2 AS id").all();
    expect(seen.duplicated).toEqual(["id in SELECT 1 AS id, 2 AS id"]);
  });
});
