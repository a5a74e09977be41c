// A consumer with customers:write but not customers:read learns a stored value from a refusal only
// at the price of a write it may make anyway (SPEC §2, docs/security.md); readers get DRF's answers.
import { beforeAll, describe, expect, it } from "vitest";
import { createConsumer, createCustomer, patch, readCustomer, request } from "./helpers";

let writer: string;
let reader: string;
beforeAll(async () => {
  ({ key: writer } = await createConsumer({ scopes: "customers:write", gdpr: "normal" }));
  ({ key: reader } = await createConsumer({ gdpr: "normal" }));
});

const bulk = (items: object[], key: string) =>
  request("/customers/", { method: "PATCH", key, headers: { "Content-Type": "application/json" }, body: JSON.stringify(items) });
const answer = async (res: Response) => [res.status, await res.json()];

describe("a write-only consumer's refusals", () => {
  it("with a field error, never say whether a customer number is in use", async () => {
    const number = `TAKEN-${crypto.randomUUID()}`;
    await createCustomer({ customer_number: number });
    const target = await createCustomer();
    const body = (customerNumber: string) => ({ email: "not an e-mail", customer_number: customerNumber });
    const taken = await answer(await patch(target, body(number), writer));
    const free = await answer(await patch(target, body(`FREE-${crypto.randomUUID()}`), writer));
    expect(taken).toEqual([400, { email: ["Enter a valid email address."] }]);
    expect(free).toEqual(taken);
    // A reader gets DRF's answer: every failing field.
    expect(await answer(await patch(target, body(number), reader))).toEqual([
      400,
      { email: ["Enter a valid email address."], customer_number: ["Customer with this customer number already exists."] },
    ]);
  });

  it("in a bulk with an id that does not exist, never say how another item's values compare with stored ones", async () => {
    const probed = await createCustomer({ cooperative_date: "2020-06-15" });
    const probe = async (date: string) =>
      answer(await bulk([{ id: probed, cooperative_reimbursement_date: date }, { id: 999_999_999 }], writer));
    const before = await probe("2020-01-01");
    const after = await probe("2021-01-01");
    expect(after).toEqual(before);
    expect(before).toEqual([
      400,
      { non_field_errors: ["These values cannot be stored with the data the service holds; nothing was written."] },
    ]);
    // Nor whether the other ids exist.
    expect(await answer(await bulk([{ id: probed, note: "x" }, { id: 999_999_999 }], writer))).toEqual(before);
    expect(await answer(await bulk([{ id: 999_999_998, note: "x" }, { id: 999_999_999 }], writer))).toEqual(before);
    expect(await readCustomer(probed)).toMatchObject({ cooperative_reimbursement_date: null, version: 1 });
    // A reader gets each item's errors.
    expect(await answer(await bulk([{ id: probed, cooperative_reimbursement_date: "2020-01-01" }, { id: 999_999_999 }], reader))).toEqual([
      400,
      [
        { non_field_errors: ["cooperative_reimbursement_date may not be before cooperative_date."] },
        { id: ['Invalid pk "999999999" - object does not exist.'] },
      ],
    ]);
  });

  it("say which stored value refused a write when it is the one at stake, so each such answer costs a write", async () => {
    const number = `HELD-${crypto.randomUUID()}`;
    await createCustomer({ customer_number: number });
    const target = await createCustomer({ cooperative_date: "2020-06-15" });
    expect(await answer(await patch(target, { customer_number: number }, writer))).toEqual([
      400,
      { customer_number: ["Customer with this customer number already exists."] },
    ]);
    expect(await answer(await patch(target, { cooperative_reimbursement_date: "2020-01-01" }, writer))).toEqual([
      400,
      { non_field_errors: ["cooperative_reimbursement_date may not be before cooperative_date."] },
    ]);
    // Both at stake: one answer whichever refused, so the number's answer no longer depends on the date.
    const both = (reimbursed: string) => patch(target, { customer_number: number, cooperative_reimbursement_date: reimbursed }, writer);
    const generic = [400, { non_field_errors: ["These values cannot be stored with the data the service holds; nothing was written."] }];
    expect(await answer(await both("2020-01-01"))).toEqual(generic);
    expect(await answer(await both("2021-01-01"))).toEqual(generic);
    // Both dates in the body decide the rule without stored data, and references are public data.
    expect(
      await answer(
        await patch(target, { cooperative_date: "2021-01-01", cooperative_reimbursement_date: "2020-01-01", address: 404_404 }, writer),
      ),
    ).toEqual([400, { address: ['Invalid pk "404404" - object does not exist.'] }]);
  });

  it("count only the checks stored data decides: a null date, or both dates in the body, puts no dates rule at stake", async () => {
    const number = `COUNTED-${crypto.randomUUID()}`;
    await createCustomer({ customer_number: number });
    const target = await createCustomer();
    const taken = [400, { customer_number: ["Customer with this customer number already exists."] }];
    for (const dates of [
      { cooperative_date: null },
      { cooperative_reimbursement_date: null },
      { cooperative_date: "2020-01-01", cooperative_reimbursement_date: "2021-01-01" },
      // The same day is no reimbursement before joining.
      { cooperative_date: "2020-01-01", cooperative_reimbursement_date: "2020-01-01" },
    ]) {
      expect(await answer(await patch(target, { customer_number: number, ...dates }, writer)), JSON.stringify(dates)).toEqual(taken);
    }
    // One date from the body and the other from the store: two checks at stake, one answer.
    expect(await answer(await patch(target, { customer_number: number, cooperative_date: "2020-01-01" }, writer))).toEqual([
      400,
      { non_field_errors: ["These values cannot be stored with the data the service holds; nothing was written."] },
    ]);
  });

  it("in a bulk, tell only the refusals that need no stored data when there are some", async () => {
    const number = `BESIDE-${crypto.randomUUID()}`;
    await createCustomer({ customer_number: number });
    const [first, second] = [await createCustomer(), await createCustomer()];
    expect(
      await answer(
        await bulk(
          [
            { id: first, address: 404_404 },
            { id: second, customer_number: number },
          ],
          writer,
        ),
      ),
    ).toEqual([400, [{ address: ['Invalid pk "404404" - object does not exist.'] }, {}]]);
  });

  it("in a bulk, answer an item's own dates alike whether its id exists or not", async () => {
    const [existing, other] = [await createCustomer(), await createCustomer()];
    const reversed = { cooperative_date: "2021-01-01", cooperative_reimbursement_date: "2020-01-01" };
    const items = (id: number) => [
      { id, ...reversed },
      { id: other, note: "x" },
    ];
    const told = await answer(await bulk(items(existing), writer));
    expect(told).toEqual([400, [{ non_field_errors: ["cooperative_reimbursement_date may not be before cooperative_date."] }, {}]]);
    expect(await answer(await bulk(items(999_999_996), writer))).toEqual(told);
  });

  it("still learn their own target's existence and version, as every write does (404, 412)", async () => {
    const target = await createCustomer();
    expect((await patch(999_999_997, { note: "x" }, writer)).status).toBe(404);
    expect((await patch(target, { note: "x" }, writer, { "If-Match": '"7"' })).status).toBe(412);
    expect((await patch(target, { note: "x" }, writer)).status).toBe(204);
  });
});
