import { exports } from "cloudflare:workers";
import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { app } from "../src/index";
import { openApiDocument } from "../src/openapi/document";
import { EXAMPLE_CUSTOMER } from "../src/openapi/examples";
import { createConsumer, loadDemoData, request } from "./helpers";

type Operation = { security?: unknown[]; responses: Record<string, unknown>; parameters?: unknown[] };
const document = openApiDocument() as {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
};

describe("GET /api/v2/openapi.json", () => {
  it("serves the document generated from the validating schemas, without authentication", async () => {
    const res = await exports.default.fetch("http://api.test/api/v2/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it("describes every route the app serves, and no other", () => {
    // The routes of the app, from Hono itself (405 catch-alls, middleware and the page's files left out).
    const served = new Set(
      app.routes
        .filter((route) => route.method !== "ALL" && route.path !== "/docs/*")
        .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, "{$1}").replace(/\/?$/, "/")}`),
    );
    const described = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((method) => method !== "parameters")
          .map((method) => `${method} ${path.replace(/\/?$/, "/")}`),
      ),
    );
    expect([...described].sort()).toEqual([...served].sort());
  });

  it("states the error answers, the security, and the limits of every field", () => {
    const { Customer, CustomerPatch } = document.components.schemas as Record<
      string,
      { properties: Record<string, Record<string, unknown>> }
    >;
    expect(Customer!.properties.name).toMatchObject({ type: "string", maxLength: 200, minLength: 1 });
    expect(Customer!.properties.id).toMatchObject({ type: "integer", readOnly: true });
    expect(CustomerPatch!.properties.email).toMatchObject({
      anyOf: [{ type: "string", maxLength: 254, format: "email" }, { type: "null" }],
    });
    expect(CustomerPatch).toMatchObject({ additionalProperties: false });
    const patch = document.paths["/api/v2/customers/{id}/"]!.patch!;
    expect(Object.keys(patch.responses).sort()).toEqual([
      "200",
      "204",
      "400",
      "401",
      "403",
      "404",
      "405",
      "412",
      "413",
      "415",
      "429",
      "500",
      "503",
    ]);
    // The key alone goes into /docs's Authorize: an HTTP bearer scheme, which the service accepts.
    expect(document.components.securitySchemes).toEqual({
      key: { type: "http", scheme: "bearer", description: expect.stringContaining("key alone") },
    });
    expect(document.components.responses!.TooManyRequests).toMatchObject({ headers: { "Retry-After": expect.anything() } });
  });

  it("types the path's id as a customer's integer or a subscription's UUID, and the decimal a request may send as a string or a number", () => {
    for (const [path, item] of Object.entries(document.paths).filter(([path]) => path.includes("{id}"))) {
      const id = path.startsWith("/api/v2/webhooks/")
        ? { type: "string", format: "uuid", pattern: expect.any(String) }
        : { type: "integer", minimum: 1 };
      for (const operation of Object.values(item)) {
        expect(
          operation.parameters!.find((p) => (p as { in: string }).in === "path"),
          path,
        ).toMatchObject({ schema: id });
      }
    }
    const { CustomerPatch } = document.components.schemas as Record<string, { properties: Record<string, { anyOf: { type: string }[] }> }>;
    expect(CustomerPatch!.properties.cooperative_sum!.anyOf.map((schema) => schema.type)).toEqual(["string", "number", "null"]);
  });

  it("gives every answer a realistic example that fits its schema; customer 7 of the demo data is the customer's", async () => {
    const examples: [string, unknown, unknown][] = [];
    const responses = document.components.responses as Record<
      string,
      { content?: Record<string, { schema: unknown; example?: unknown; examples?: Record<string, { value: unknown }> }> }
    >;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, listed] of Object.entries(operation.responses)) {
          const answer = (listed as { $ref?: string }).$ref
            ? responses[(listed as { $ref: string }).$ref.split("/").at(-1)!]!
            : (listed as (typeof responses)[string]);
          for (const [type, media] of Object.entries(answer.content ?? {})) {
            const values = media.examples ? Object.values(media.examples).map((example) => example.value) : [media.example];
            expect(
              values.every((value) => value !== undefined),
              `${method} ${path} ${status} ${type}`,
            ).toBe(true);
            if (type === "application/json")
              for (const value of values) examples.push([`${method} ${path} ${status}`, media.schema, value]);
          }
        }
      }
    }
    for (const [where, schema, value] of examples) {
      const result = new Validator({ ...(schema as object), components: document.components } as never, "2020-12", false).validate(value);
      expect(
        result.errors.map((error) => `${error.instanceLocation}: ${error.error}`),
        where,
      ).toEqual([]);
    }
    // A GET's 400 shows a bad query parameter, not a body's field errors.
    const listBadQuery = document.paths["/api/v2/customers/"]!.get!.responses["400"] as { content: Record<string, { example: object }> };
    expect(Object.keys(listBadQuery.content["application/json"]!.example)).toEqual(["orderby"]);
    await loadDemoData();
    const { key } = await createConsumer({ gdpr: "normal" });
    const { modified: _modified, ...served } = await (await request("/customers/7/", { key })).json<Record<string, unknown>>();
    const { modified: _example, ...example } = EXAMPLE_CUSTOMER;
    expect(example).toEqual(served);
  });

  it("answers an unknown orderby with the choices", async () => {
    const { key } = await createConsumer();
    const res = await request("/customers/?orderby=name", { key });
    expect(await res.json()).toEqual({
      orderby: [
        "Select a valid choice. name is not one of the available choices: id, -id, modified, -modified, customer_number, -customer_number.",
      ],
    });
  });
});
