// Every answer the service gives, checked against the OpenAPI document it serves: the status is one
// the operation documents, and the JSON body validates against that status's schema (JSON Schema
// 2020-12, as OpenAPI 3.1 uses it). Consumers of every GDPR access and scope take part.

import { exports } from "cloudflare:workers";
import { Validator } from "@cfworker/json-schema";
import { beforeAll, describe, expect, it } from "vitest";
import { createConsumer, createCustomer, loadDemoData, request } from "./helpers";

type Json = Record<string, unknown>;
type Answer = { $ref?: string; content?: Record<string, { schema: Json }> };
type Operation = { responses: Record<string, Answer> };
let document: { paths: Record<string, Record<string, Operation>>; components: Json };
const keys: Record<string, string> = {};

beforeAll(async () => {
  document = await (await exports.default.fetch("http://api.test/api/v2/openapi.json")).json();
  await loadDemoData();
  for (const [name, options] of Object.entries({
    normal: { gdpr: "normal" },
    none: { gdpr: "none" },
    extended: { gdpr: "extended" },
    writeOnly: { scopes: "customers:write" },
    readOnly: { scopes: "customers:read" },
  } as const)) {
    keys[name] = (await createConsumer(options)).key;
  }
});

/** Checks an answer against the document: a documented status and, for JSON, a body that fits its schema. */
async function conforms(res: Response, method: string, path: string) {
  const operation = document.paths[path]?.[method.toLowerCase()];
  expect(operation, `${method} ${path} is documented`).toBeDefined();
  const listed = operation!.responses[String(res.status)];
  // A response may be a reference to #/components/responses/<name>.
  const documented = listed?.$ref ? (document.components.responses as Record<string, Answer>)[listed.$ref.split("/").at(-1)!] : listed;
  expect(documented, `${method} ${path} documents ${res.status}`).toBeDefined();
  const text = await res.text();
  const schema = documented!.content?.["application/json"]?.schema;
  if (!schema) {
    expect(text, `${method} ${path} ${res.status} has no body`).toBe("");
    return;
  }
  const root = { ...schema, components: document.components };
  const result = new Validator(root as never, "2020-12", false).validate(JSON.parse(text));
  expect(
    result.errors.map((error) => `${error.instanceLocation}: ${error.error}`),
    `${method} ${path} ${res.status}: ${text.slice(0, 300)}`,
  ).toEqual([]);
}

const json = (body: unknown) => ({ headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
const ONE = "/api/v2/customers/{id}/";
const LIST = "/api/v2/customers/";

describe("every answer fits the document", () => {
  it("reads, for each GDPR access", async () => {
    for (const who of ["normal", "none", "extended"]) {
      await conforms(await request("/customers/7/", { key: keys[who] }), "GET", ONE);
      await conforms(await request("/customers/?limit=3", { key: keys[who] }), "GET", LIST);
      const cursorPage = await request("/customers/?pagination=cursor&limit=3", { key: keys[who] });
      const { next } = await cursorPage.clone().json<{ next: string }>();
      await conforms(cursorPage, "GET", LIST);
      await conforms(await request(next.slice(next.indexOf("/customers/")), { key: keys[who] }), "GET", LIST);
      await conforms(await request("/customers/7/changes/", { key: keys[who] }), "GET", "/api/v2/customers/{id}/changes/");
      await conforms(
        await request("/customers/7/changes/?pagination=cursor", { key: keys[who] }),
        "GET",
        "/api/v2/customers/{id}/changes/",
      );
    }
    await conforms(await request("/customers/7/", { key: keys.normal, headers: { "If-None-Match": "*" } }), "GET", ONE);
    await conforms(await request("/customers/999999/", { key: keys.normal }), "GET", ONE);
    await conforms(await request("/customers/?limit=0", { key: keys.normal }), "GET", LIST);
    await conforms(await request("/customers/?cursor=bad", { key: keys.normal }), "GET", LIST);
    await conforms(await request("/customers/7/", { key: keys.writeOnly }), "GET", ONE);
    await conforms(await request("/customers/7/"), "GET", ONE);
  });

  it("writes, for each GDPR access and scope", async () => {
    const id = await createCustomer({ email: "x@example.fi" });
    for (const who of ["normal", "none", "extended", "writeOnly"]) {
      await conforms(await request(`/customers/${id}/`, { method: "PATCH", key: keys[who], ...json({ note: who }) }), "PATCH", ONE);
    }
    await conforms(await request(`/customers/${id}/`, { method: "PATCH", key: keys.readOnly, ...json({ note: "x" }) }), "PATCH", ONE);
    await conforms(
      await request(`/customers/${id}/`, { method: "PATCH", key: keys.none, ...json({ email: "y@example.fi" }) }),
      "PATCH",
      ONE,
    );
    await conforms(
      await request(`/customers/${id}/`, { method: "PATCH", key: keys.normal, ...json({ email: "bad", zzz: 1 }) }),
      "PATCH",
      ONE,
    );
    await conforms(
      await request(`/customers/${id}/`, {
        method: "PATCH",
        key: keys.normal,
        headers: { "Content-Type": "application/json" },
        body: "{x",
      }),
      "PATCH",
      ONE,
    );
    await conforms(
      await request(`/customers/${id}/`, {
        method: "PATCH",
        key: keys.normal,
        headers: { "If-Match": '"99"', "Content-Type": "application/json" },
        body: "{}",
      }),
      "PATCH",
      ONE,
    );
    await conforms(
      await request(`/customers/${id}/`, { method: "PATCH", key: keys.normal, headers: { "If-Match": "6" }, body: "" }),
      "PATCH",
      ONE,
    );
    await conforms(
      await request(`/customers/${id}/`, { method: "PATCH", key: keys.normal, headers: { "Content-Type": "text/plain" }, body: "x" }),
      "PATCH",
      ONE,
    );
    await conforms(
      await request(`/customers/${id}/`, { method: "PATCH", key: keys.normal, ...json({ note: "x".repeat(70_000) }) }),
      "PATCH",
      ONE,
    );
    await conforms(await request("/customers/999999/", { method: "PATCH", key: keys.normal, ...json({ note: "x" }) }), "PATCH", ONE);

    for (const who of ["normal", "extended", "writeOnly"]) {
      await conforms(await request("/customers/", { method: "POST", key: keys[who], ...json({ name: `New ${who}` }) }), "POST", LIST);
    }
    await conforms(await request("/customers/", { method: "POST", key: keys.normal, ...json({ email: "x" }) }), "POST", LIST);
    const headers = { "Idempotency-Key": `doc-${crypto.randomUUID()}`, "Content-Type": "application/json" };
    await conforms(await request("/customers/", { method: "POST", key: keys.normal, headers, body: '{"name": "A"}' }), "POST", LIST);
    await conforms(await request("/customers/", { method: "POST", key: keys.normal, headers, body: '{"name": "B"}' }), "POST", LIST);

    await conforms(
      await request(`/customers/${id}/`, { method: "DELETE", key: keys.normal, headers: { "If-Match": '"99"' } }),
      "DELETE",
      ONE,
    );
    await conforms(await request(`/customers/${id}/`, { method: "DELETE", key: keys.none }), "DELETE", ONE);
    await conforms(await request(`/customers/${id}/`, { method: "DELETE", key: keys.normal }), "DELETE", ONE);
    await conforms(await request(`/customers/${id}/`, { method: "DELETE", key: keys.normal }), "DELETE", ONE);
  });

  it("bulk updates and the change feed", async () => {
    const [a, b] = [await createCustomer(), await createCustomer()];
    for (const who of ["normal", "none", "writeOnly"]) {
      await conforms(
        await request("/customers/", {
          method: "PATCH",
          key: keys[who],
          ...json([
            { id: a, note: who },
            { id: b, no_sms: true },
          ]),
        }),
        "PATCH",
        LIST,
      );
    }
    await conforms(
      await request("/customers/", { method: "PATCH", key: keys.normal, ...json([{ id: a, email: "bad" }, { id: 999999 }]) }),
      "PATCH",
      LIST,
    );
    await conforms(
      await request("/customers/", { method: "PATCH", key: keys.normal, ...json([{ id: 999999, note: "x" }]) }),
      "PATCH",
      LIST,
    );
    await conforms(await request("/customers/", { method: "PATCH", key: keys.normal, ...json({ id: a }) }), "PATCH", LIST);
    await conforms(
      await request("/customers/", { method: "PATCH", key: keys.none, ...json([{ id: a, email: "x@example.fi" }]) }),
      "PATCH",
      LIST,
    );
    for (const who of ["normal", "extended"])
      await conforms(await request("/changes/?limit=5", { key: keys[who] }), "GET", "/api/v2/changes/");
    await conforms(await request("/changes/?after=bad", { key: keys.normal }), "GET", "/api/v2/changes/");
    await conforms(await request("/changes/?limit=0", { key: keys.normal }), "GET", "/api/v2/changes/");
    await conforms(await request("/changes/", { key: keys.none }), "GET", "/api/v2/changes/");
  });

  it("the service's own routes", async () => {
    await conforms(await exports.default.fetch("http://api.test/health"), "GET", "/health");
  });
});
