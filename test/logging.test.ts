import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fetchWith, unavailable } from "./env-doubles";
import { BASE, createConsumer, createCustomer, patch } from "./helpers";

let lines: string[];
beforeEach(() => {
  lines = [];
  const capture = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  vi.spyOn(console, "log").mockImplementation(capture);
  vi.spyOn(console, "error").mockImplementation(capture);
  vi.spyOn(console, "warn").mockImplementation(capture);
  vi.spyOn(console, "info").mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

const CANARY = "CANARY-7f3a";

describe("the access log", () => {
  it("is one JSON line per request with the request id, consumer, route, status, duration and event", async () => {
    const { key, id: consumerId } = await createConsumer();
    const id = await createCustomer();
    const res = await patch(id, { email: `${CANARY.toLowerCase()}@example.fi` }, key);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      request_id: res.headers.get("X-Request-Id"),
      consumer_id: consumerId,
      method: "PATCH",
      route: "/api/v2/customers/:id",
      status: 200,
      duration_ms: expect.any(Number),
      db_round_trips: expect.any(Number),
      event: "sensitive_update",
    });
    // D1's billed cost of the request, from its answers: the update and its audit row were written.
    const { db_rows_read, db_rows_written } = JSON.parse(lines[0]!);
    expect(db_rows_read).toBeGreaterThan(0);
    expect(db_rows_written).toBeGreaterThanOrEqual(2);
  });

  it("names the security events", async () => {
    const reader = await createConsumer({ scopes: "customers:read" });
    const writer = await createConsumer({ gdpr: "none" });
    const id = await createCustomer();
    const cases: [() => Promise<Response>, string | null][] = [
      [() => patch(id, {}, ""), "authn_fail"],
      [() => patch(id, {}, "0".repeat(40)), "authn_fail"],
      [() => patch(id, {}, reader.key), "authz_fail"],
      [() => patch(id, { name: "x" }, writer.key), "authz_fail"],
      [() => patch(id, { no_sms: "perhaps" }, writer.key), "input_validation_fail"],
      [() => patch(id, "{", writer.key), "input_validation_fail"],
      [() => patch(id, { note: "plain" }, writer.key), null],
    ];
    for (const [send, event] of cases) {
      lines = [];
      await send();
      expect(lines.map((line) => JSON.parse(line).event)).toEqual([event]);
    }
  });

  it("never holds a key, an Authorization header, a body, a protected value or a client's request id — even when the request fails", async () => {
    const faulty = await createConsumer();
    await env.DB.prepare(
      `CREATE TRIGGER fail_audit BEFORE INSERT ON customer_changes WHEN NEW.consumer_id = ${faulty.id} BEGIN SELECT RAISE(ABORT, 'CANARY-7f3a'); END`,
    ).run();
    const { key } = await createConsumer({ gdpr: "normal" });
    const none = await createConsumer({ gdpr: "none" });
    const id = await createCustomer();
    const body = { name: CANARY, email: `${CANARY}@example.fi`, personal_id: CANARY, note: CANARY };
    await patch(id, body, key); // success
    await patch(id, { ...body, no_sms: "bad" }, key); // validation failure
    await patch(id, body, none.key); // protected fields refused
    await patch(id, `{"name": "${CANARY}"`, key); // malformed JSON
    await patch(id, body, `${CANARY}${key}`); // bad key
    await patch(id, body, "", { Authorization: `Basic ${CANARY}` }); // another scheme
    await fetchWith(
      unavailable(env.DB),
      new Request(`${BASE}/customers/${id}/`, {
        method: "PATCH",
        headers: { Authorization: `Token ${CANARY}${"0".repeat(30)}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
    ); // database failure
    await patch(id, { note: "x" }, faulty.key, { "X-Request-Id": CANARY }); // a statement fails (see above)
    expect(lines).toHaveLength(8);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ status: 500, error: "Error" });
    const log = lines.join("\n");
    for (const secret of [CANARY, CANARY.toLowerCase(), key, none.key, "Token ", "Basic "]) {
      expect(log).not.toContain(secret);
    }
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
