// The field types alone (no D1): DRF's value or DRF's messages, in order.
import { describe, expect, it } from "vitest";
import { customerFields } from "../../src/customers/fields";
import { JsonNumber } from "../../src/validation/json-number";

const check = (field: keyof typeof customerFields, value: unknown) => {
  const result = customerFields[field].safeParse(value);
  return result.success ? { value: result.data } : { errors: result.error.issues.map((issue) => issue.message) };
};

describe("field types", () => {
  for (const [field, input, expected] of [
    ["note", new JsonNumber("1e3"), { value: "1000.0" }],
    ["note", " \u0085x ", { value: "x" }],
    ["name", "  ", { errors: ["This field may not be blank."] }],
    ["name", null, { errors: ["This field may not be null."] }],
    ["phone", "x".repeat(33), { errors: ["Enter a valid value.", "Ensure this field has no more than 32 characters."] }],
    ["email", false, { errors: ["Enter a valid email address."] }],
    ["country", " se ", { value: "SE" }],
    ["country", [], { errors: ['"[]" is not a valid choice.'] }],
    ["no_sms", new JsonNumber("1.0"), { value: true }],
    ["no_sms", "maybe", { errors: ["Must be a valid boolean."] }],
    ["cooperative_date", "2026-2-3", { value: "2026-02-03" }],
    ["cooperative_sum", new JsonNumber("1e3"), { value: "1000.00" }],
    ["cooperative_sum", " ", { value: null }],
    ["cooperative_sum", "1.005", { errors: ["Ensure that there are no more than 2 decimal places."] }],
    ["address", " 7 ", { value: 7 }],
    ["address", "", { value: null }],
    ["address", new JsonNumber("0"), { errors: ['Invalid pk "0" - object does not exist.'] }],
    ["address", true, { errors: ["Incorrect type. Expected pk value, received bool."] }],
  ] as const) {
    it(`${field} ${JSON.stringify(input)}`, () => {
      expect(check(field, input)).toEqual(expected);
    });
  }
});
