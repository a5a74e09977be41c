import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";

const config = readFileSync(path.resolve(import.meta.dirname, "../../wrangler.toml"), "utf8");

it("the limits told in X-RateLimit-Limit are the limits of the rate-limit bindings", () => {
  for (const tier of ["STANDARD", "HIGH"]) {
    const told = new RegExp(`^RATE_LIMIT_${tier}_PER_MINUTE = "(\\d+)"`, "m").exec(config)?.[1];
    const binding = new RegExp(`name = "RATE_LIMIT_${tier}"\\n[^\\n]*\\nsimple = \\{ limit = (\\d+), period = 60 \\}`).exec(config)?.[1];
    expect(told, tier).toBeDefined();
    expect(told).toBe(binding);
  }
});

it("the compatibility date is one that wrangler 4.86's local workerd accepts", () => {
  const date = /^compatibility_date = "([\d-]+)"/m.exec(config)?.[1];
  expect(date! <= "2026-04-26").toBe(true);
});

it("the documentation stands alone: no link or path leads outside the repository", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const pages = ["README.md", ...readdirSync(path.join(root, "docs")).map((page) => `docs/${page}`), "bench/RESULTS.md"];
  for (const page of pages) {
    const text = readFileSync(path.join(root, page), "utf8");
    expect(text, page).not.toMatch(/\.\.\/shared|SPEC\.md|SPEC §/);
    for (const [, target] of text.matchAll(/\]\(([^)#]+)\)/g)) {
      if (/^https?:/.test(target!)) continue;
      expect(existsSync(path.resolve(root, path.dirname(page), target!)), `${page} → ${target}`).toBe(true);
    }
  }
});

it("the staging environment of wrangler.toml runs under wrangler dev --env staging and answers a keyed request", async () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const persist = mkdtempSync(path.join(tmpdir(), "customer-api-staging-"));
  const local = ["--local", "--env", "staging", "--persist-to", persist];
  const wrangler = (args: string[]) =>
    execFileSync("npx", ["wrangler", ...args], { cwd: root, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
  const port = 8600 + Math.floor(Math.random() * 100);
  let server: ReturnType<typeof spawn> | undefined;
  try {
    wrangler(["d1", "migrations", "apply", "DB", ...local]);
    const key = "5".repeat(40);
    const hash = createHash("sha256").update(key).digest("hex");
    wrangler([
      "d1",
      "execute",
      "DB",
      ...local,
      "--command",
      `INSERT INTO api_consumers (name, scopes, gdpr_access, key_hash) VALUES ('staging', 'customers:read', 'normal', '${hash}')`,
    ]);
    server = spawn(
      "npx",
      [
        "wrangler",
        "dev",
        "--env",
        "staging",
        "--port",
        String(port),
        "--ip",
        "127.0.0.1",
        "--persist-to",
        persist,
        "--var",
        "CURSOR_SECRET:staging-test",
      ],
      {
        cwd: root,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wrangler dev --env staging did not start:\n${output}`)), 120_000);
      for (const stream of [server!.stdout!, server!.stderr!])
        stream.on("data", (chunk: Buffer) => {
          output += chunk;
          if (output.includes("Ready on")) resolve(clearTimeout(timer));
        });
    });
    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: "ok" });
    const res = await fetch(`${base}/api/v2/customers/?limit=1`, { headers: { Authorization: `Token ${key}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ count: 0, next: null, previous: null, results: [] });
  } finally {
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
    rmSync(persist, { recursive: true, force: true });
  }
});
