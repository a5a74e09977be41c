import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const get = (path: string) => exports.default.fetch(`http://api.test${path}`);

describe("GET /docs", () => {
  it("is a page of this deployment's own files, under a strict Content-Security-Policy", async () => {
    const res = await get("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const csp = res.headers.get("Content-Security-Policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe");
    expect(res.headers.get("X-Request-Id")).toBeTruthy();
    const html = await res.text();
    // Every script and style is local: nothing from a CDN, no inline script.
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toMatch(/^\/docs\//);
    expect(html).not.toMatch(/<script>[^<]/);
  });

  for (const file of ["/docs/vendor/swagger-ui-bundle.js", "/docs/vendor/swagger-ui.css", "/docs/init.js", "/docs/docs.css"]) {
    it(`serves ${file}`, async () => {
      const res = await get(file);
      expect(res.status).toBe(200);
      expect((await res.text()).length).toBeGreaterThan(100);
    });
  }

  it("tells to authorize with the key alone, as the document's HTTP bearer scheme makes Swagger send it", async () => {
    const banner = /<header>([\s\S]*?)<\/header>/.exec(await (await get("/docs")).text())![1]!.replace(/\s+/g, " ");
    expect(banner).toContain("<strong>Authorize</strong> with your key alone");
    expect(banner).not.toMatch(/Token &lt;|Token <(?!\/)/);
    const document = await (await get("/api/v2/openapi.json")).json<{ components: { securitySchemes: Record<string, object> } }>();
    expect(Object.values(document.components.securitySchemes)).toEqual([expect.objectContaining({ type: "http", scheme: "bearer" })]);
  });

  it("points the page at this deployment's document, without the online validator", async () => {
    const init = await (await get("/docs/init.js")).text();
    expect(init).toContain('url: "/api/v2/openapi.json"');
    expect(init).toContain("validatorUrl: null");
  });
});
