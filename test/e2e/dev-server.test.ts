import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, root, startDevServer } from "../../scripts/dev-server";
import { copyOfMigratedDatabase } from "./migrated-database";

let dev: DevServer;
let base: string;

beforeAll(async () => {
  dev = await startDevServer(copyOfMigratedDatabase());
  base = dev.base;
  expect(dev.output).toContain("npm run consumer -- create");
});

afterAll(() => dev?.stop());

const consumer = (...args: string[]) => dev.consumer(...args);
const sql = (query: string) => dev.sql(query);
const call = (url: string, init?: RequestInit) => dev.call(url, init);

describe("a newcomer's first PATCH", () => {
  let key: string;

  it("the consumer command prints a new 40-hex key as its last line and stores only its hash", () => {
    const output = consumer("create", "--name", "E2E billing", "--scopes", "customers:read,customers:write", "--gdpr", "normal");
    key = output.trim().split("\n").at(-1)!;
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    // Consumer 1 is the demo data's own, without a key.
    const rows = sql("SELECT * FROM api_consumers WHERE id > 1");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      name: "E2E billing",
      scopes: "customers:read customers:write",
      gdpr_access: "normal",
      key_hash: createHash("sha256").update(key).digest("hex"),
      revoked_at: null,
    });
    expect(JSON.stringify(rows)).not.toContain(key);
  });

  it("npm run dev serves the demo data and answers a PATCH with that key", async () => {
    const res = await call(`${base}/api/v2/customers/7/`, {
      method: "PATCH",
      headers: { Authorization: `Token ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ note: "first call", phone: "+358 40 1234567" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"2"');
    expect(await res.json()).toMatchObject({ id: 7, customer_number: "C-100007", note: "first call", phone: "+358 40 1234567" });
    const health = await call(`${base}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
  });

  it("an oversized chunked body gets 413, and another client's next requests are served", async () => {
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/api/v2/customers/8/`, {
        method: "PATCH",
        headers: { Authorization: `Token ${key}`, "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      });
      req.on("error", reject);
      req.write('{"note": "');
      for (let i = 0; i < 70; i++) req.write("x".repeat(1024));
      req.end('"}');
    });
    expect(chunked).toEqual({ status: 413, body: JSON.stringify({ details: "Request body is too large." }) });
    for (let i = 0; i < 3; i++) {
      const res = await call(`${base}/api/v2/customers/8/`, {
        headers: { Authorization: `Token ${key}` },
        signal: AbortSignal.timeout(15_000),
      });
      expect(res.status).toBe(200);
    }
  });

  it("npm run dev prints one line per request and no stack trace (none for the offline Request.cf either)", async () => {
    await call(`${base}/health`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const log = dev.log();
    expect(log).not.toMatch(/Request\.cf|\n\s+at /);
    expect(log.split("\n").filter((line) => line.includes('"route":"/health"')).length).toBeGreaterThan(0);
    expect(log.split("\n").filter((line) => line.includes("/health") && !line.startsWith("{"))).toEqual([]);
  });

  it("the demo data has customers 1-500 at level normal", () => {
    const [row] = sql("SELECT count(*) AS n, min(id) AS lo, max(id) AS hi, sum(restricted_type = 2) AS hidden FROM customers");
    expect(row).toEqual({ n: 500, lo: 1, hi: 500, hidden: 0 });
  });

  it("list shows the consumers, and a revoked key is refused", async () => {
    const output = consumer("create", "--name", "Short-lived", "--scopes", "customers:read", "--gdpr", "none");
    const shortLived = output.trim().split("\n").at(-1)!;
    const id = /Created consumer (\d+)/.exec(output)![1]!;
    expect(consumer("revoke", id)).toContain(`Revoked consumer ${id}`);
    const listing = consumer("list");
    expect(listing).toContain("E2E billing");
    expect(listing).toContain("Short-lived");
    expect(listing).not.toContain(shortLived);
    const res = await call(`${base}/api/v2/customers/7/`, {
      method: "PATCH",
      headers: { Authorization: `Token ${shortLived}`, "Content-Type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ details: "Invalid token." });
  });

  it("the consumer command refuses bad arguments", () => {
    expect(() => consumer("create", "--name", "x", "--scopes", "customers:admin", "--gdpr", "normal")).toThrow();
    expect(() => consumer("create", "--name", "x", "--scopes", "customers:read", "--gdpr", "total")).toThrow();
    expect(() => consumer("create", "--name", "x", "--scopes", "customers:read", "--gdpr", "none", "--tier", "gold")).toThrow();
    expect(() => consumer("revoke", "999")).toThrow();
  });

  it("--expires names a day, and the key works through that whole day (UTC)", () => {
    const output = consumer("create", "--name", "Until", "--scopes", "customers:read", "--gdpr", "none", "--expires", "2099-12-31");
    expect(output).toContain("expires after 2099-12-31T23:59:59.999Z");
    const id = /Created consumer (\d+)/.exec(output)![1]!;
    expect(sql(`SELECT expires_at FROM api_consumers WHERE id = ${id}`)).toEqual([{ expires_at: "2099-12-31T23:59:59.999Z" }]);
  });

  it("the consumer command sets a consumer's rate tier", () => {
    expect(consumer("tier", "2", "unlimited")).toContain("Consumer 2 now has the rate tier unlimited");
    expect(sql("SELECT rate_tier FROM api_consumers WHERE id = 2")).toEqual([{ rate_tier: "unlimited" }]);
  });
});

describe("the OpenAPI document", () => {
  it("passes Spectral's OpenAPI rules and the OWASP API Top 10 ruleset with zero errors", async () => {
    const res = await call(`${base}/api/v2/openapi.json`);
    expect(res.status).toBe(200);
    const file = path.join(dev.persistTo, "openapi.json");
    writeFileSync(file, await res.text());
    let output: string;
    try {
      output = execFileSync("npx", ["spectral", "lint", file, "--ruleset", ".spectral.yaml", "--format", "json", "--quiet"], {
        cwd: root,
        encoding: "utf8",
      });
    } catch (error) {
      output = (error as { stdout: string }).stdout; // spectral exits 1 when it finds errors
    }
    const errors = (JSON.parse(output) as { code: string; severity: number; path: string[] }[]).filter((result) => result.severity === 0);
    expect(errors.map((error) => `${error.code} at ${error.path.join(".")}`)).toEqual([]);
  });
});
