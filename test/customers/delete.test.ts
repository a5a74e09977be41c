import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { auditOf, createConsumer, createCustomer, get, patch, readCustomer, request } from "../helpers";

let key: string;
beforeAll(async () => {
  ({ key } = await createConsumer({ gdpr: "normal" }));
});

const erase = (id: number | string, as = key, headers: Record<string, string> = {}) =>
  request(`/customers/${id}/`, { method: "DELETE", key: as, headers });

async function everyTableAsText(): Promise<string> {
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
  ).all<{ name: string }>();
  const dumps = await Promise.all(tables.map(({ name }) => env.DB.prepare(`SELECT * FROM "${name}"`).all()));
  return JSON.stringify(dumps.map((dump) => dump.results));
}

describe("DELETE /customers/{id}/", () => {
  it("erases the customer: 204, no personal data left in any table, the audit trail keeps ids", async () => {
    const personal = {
      name: "Erase Me Virtanen",
      name_ext: "c/o Erasure",
      email: "erase.me@example.fi",
      phone: "+358 40 5550001",
      phone2: "+358 40 5550002",
      personal_id: "311299-999X",
      invoice_name: "Invoice Erase Me",
    };
    const id = await createCustomer({ customer_number: `C-${crypto.randomUUID()}` });
    expect((await patch(id, { ...personal, note: "to be erased" }, key)).status).toBe(200);
    expect(await everyTableAsText()).toContain("erase.me@example.fi");

    const res = await erase(id);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(await readCustomer(id)).toBeNull();
    expect((await get(`/customers/${id}/`, key)).status).toBe(404);
    const dump = await everyTableAsText();
    for (const value of Object.values(personal)) expect(dump).not.toContain(value);
    const trail = await auditOf(id);
    expect(trail.map((entry) => entry.action)).toEqual(["update", "delete"]);
    expect(JSON.parse(trail[1]!.fields)).toEqual([]);
  });

  it("a second DELETE is 404", async () => {
    const id = await createCustomer();
    expect((await erase(id)).status).toBe(204);
    expect((await erase(id)).status).toBe(404);
  });

  it("needs GDPR access normal and the write scope", async () => {
    const id = await createCustomer();
    for (const consumer of [await createConsumer({ gdpr: "none" }), await createConsumer({ scopes: "customers:read" })]) {
      const res = await erase(id, consumer.key);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ details: "You do not have permission to perform this action." });
    }
    expect(await readCustomer(id)).not.toBeNull();
  });

  it("a hidden customer is 404 and stays", async () => {
    const id = await createCustomer({ restricted_type: 2 });
    expect((await erase(id)).status).toBe(404);
    expect(await readCustomer(id)).not.toBeNull();
    expect(await auditOf(id)).toEqual([]);
  });

  it("If-Match: a stale ETag is 412, the current one erases", async () => {
    const id = await createCustomer();
    expect((await erase(id, key, { "If-Match": '"2"' })).status).toBe(412);
    expect(await readCustomer(id)).not.toBeNull();
    expect((await erase(id, key, { "If-Match": '"1"' })).status).toBe(204);
  });
});

describe("erasure of any stored values", () => {
  it("erases a customer with one cooperative date, both, or none (the person's data is overwritten before the row goes)", async () => {
    const { key } = await createConsumer();
    for (const dates of [
      { cooperative_date: "2022-04-13" },
      { cooperative_date: "2022-04-13", cooperative_reimbursement_date: "2023-01-31" },
      { cooperative_reimbursement_date: "2023-01-31" },
      {},
    ]) {
      const id = await createCustomer({ ...dates, email: "someone@example.fi", note: "a note", cooperative_sum: "12.50" });
      expect((await request(`/customers/${id}/`, { method: "DELETE", key })).status, JSON.stringify(dates)).toBe(204);
      expect(await readCustomer(id)).toBeNull();
    }
  });
});
