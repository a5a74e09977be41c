import { describe, expect, it } from "vitest";
import { auditOf, createConsumer, createCustomer, patch, readCustomer } from "../helpers";

const PROTECTED = ["name", "name_ext", "email", "phone", "phone2", "personal_id", "invoice_name"];
const NORMAL = 1; // restricted type at level normal
const NON_DISCLOSURE = 2; // restricted type at level extended

const consumer = (gdpr: "none" | "normal" | "extended") => createConsumer({ gdpr }).then(({ key }) => key);

describe("GDPR access none", () => {
  it("sees a customer without the protected fields (left out, not null)", async () => {
    const key = await consumer("none");
    const id = await createCustomer({ email: "secret@example.fi", personal_id: "010101-123A" });
    const res = await patch(id, { note: "ok" }, key);
    expect(res.status).toBe(200);
    const body = await res.json<Record<string, unknown>>();
    for (const field of PROTECTED) expect(body).not.toHaveProperty(field);
    expect(body).toMatchObject({ id, note: "ok" });
    expect(JSON.stringify(body)).not.toContain("secret@example.fi");
  });

  it("may not write protected fields or restricted_type: 403 naming them in table order, nothing written", async () => {
    const key = await consumer("none");
    const id = await createCustomer({ note: "before" });
    const body = { restricted_type: 1, personal_id: "x", note: "after", email: "bad email", name: "N" };
    const res = await patch(id, body, key);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      details: "You do not have permission to change these fields: name, email, personal_id, restricted_type.",
    });
    expect(await readCustomer(id)).toMatchObject({ note: "before", version: 1 });
    expect(await auditOf(id)).toEqual([]);
  });

  it("may not even set a protected field to null", async () => {
    const key = await consumer("none");
    const id = await createCustomer();
    const res = await patch(id, { phone2: null }, key);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ details: "You do not have permission to change these fields: phone2." });
  });
});

describe("customers at protection level extended", () => {
  for (const gdpr of ["none", "normal"] as const) {
    it(`do not exist for a consumer with access ${gdpr}`, async () => {
      const key = await consumer(gdpr);
      const hidden = await createCustomer({ restricted_type: NON_DISCLOSURE, note: "before" });
      const res = await patch(hidden, { note: "after" }, key);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ details: "Not found." });
      expect(await readCustomer(hidden)).toMatchObject({ note: "before", version: 1 });
      // The same answer as for an id that was never used, unchanged values included.
      const empty = await patch(hidden, {}, key);
      expect(empty.status).toBe(404);
    });
  }

  it("exist for a consumer with access extended", async () => {
    const key = await consumer("extended");
    const id = await createCustomer({ restricted_type: NON_DISCLOSURE });
    const res = await patch(id, { note: "seen" }, key);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, restricted_type: NON_DISCLOSURE, note: "seen", name: "Maija Meikäläinen" });
  });

  it("level normal (restricted type 1) is visible to access normal", async () => {
    const key = await consumer("normal");
    const id = await createCustomer({ restricted_type: NORMAL });
    expect((await patch(id, { note: "x" }, key)).status).toBe(200);
  });
});

describe("setting restricted_type", () => {
  it("to a type at level extended needs access extended", async () => {
    const key = await consumer("normal");
    const id = await createCustomer({ note: "before" });
    const res = await patch(id, { restricted_type: NON_DISCLOSURE, note: "after" }, key);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ details: "You do not have permission to change these fields: restricted_type." });
    expect(await readCustomer(id)).toMatchObject({ restricted_type: null, note: "before", version: 1 });
    expect(await auditOf(id)).toEqual([]);
  });

  it("to a type at level normal is allowed with access normal", async () => {
    const key = await consumer("normal");
    const id = await createCustomer();
    const res = await patch(id, { restricted_type: NORMAL }, key);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ restricted_type: NORMAL });
  });

  it("to level extended is allowed with access extended, after which the customer is hidden from others", async () => {
    const extended = await consumer("extended");
    const normal = await consumer("normal");
    const id = await createCustomer();
    expect((await patch(id, { restricted_type: NON_DISCLOSURE }, extended)).status).toBe(200);
    expect((await patch(id, { note: "x" }, normal)).status).toBe(404);
  });
});
