import { describe, expect, it } from "vitest";
import { fetchWithEnv } from "./env-doubles";
import { BASE, createConsumer, createCustomer } from "./helpers";

const withOrigins = (origins: string, request: Request) => fetchWithEnv({ CORS_ALLOWED_ORIGINS: origins }, request);

describe("CORS", () => {
  it("answers an allowed origin, with the headers a browser client needs exposed", async () => {
    const { key } = await createConsumer();
    const id = await createCustomer();
    const res = await withOrigins(
      "https://portal.example.fi, https://field.example.fi",
      new Request(`${BASE}/customers/${id}/`, { headers: { Authorization: `Token ${key}`, Origin: "https://field.example.fi" } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("https://field.example.fi");
    expect(res.headers.get("Access-Control-Expose-Headers")).toContain("ETag");
  });

  it("answers a preflight from an allowed origin", async () => {
    const res = await withOrigins(
      "https://portal.example.fi",
      new Request(`${BASE}/customers/1/`, {
        method: "OPTIONS",
        headers: {
          Origin: "https://portal.example.fi",
          "Access-Control-Request-Method": "PATCH",
          "Access-Control-Request-Headers": "authorization, content-type, if-match",
        },
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("https://portal.example.fi");
    expect(res.headers.get("Access-Control-Allow-Methods")).toContain("PATCH");
    expect(res.headers.get("Access-Control-Allow-Headers")).toContain("If-Match");
  });

  it("sends no CORS header to another origin, nor at all when no origin is configured", async () => {
    const { key } = await createConsumer();
    const id = await createCustomer();
    for (const origins of ["https://portal.example.fi", ""]) {
      const res = await withOrigins(
        origins,
        new Request(`${BASE}/customers/${id}/`, { headers: { Authorization: `Token ${key}`, Origin: "https://evil.example" } }),
      );
      expect(res.status).toBe(200);
      expect([...res.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
    }
  });
});
