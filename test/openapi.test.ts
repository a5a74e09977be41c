import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/index";
import { openApiDocument } from "../src/openapi/document";

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
    expect(document.components.securitySchemes).toMatchObject({ token: { type: "apiKey", in: "header", name: "Authorization" } });
    expect(document.components.responses!.TooManyRequests).toMatchObject({ headers: { "Retry-After": expect.anything() } });
  });
});
