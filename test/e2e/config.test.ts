import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

it("docs/deploy.md's staging environment is a configuration wrangler accepts", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const guide = readFileSync(path.join(root, "docs/deploy.md"), "utf8");
  const staging = /\n( {4}\[env\.staging\][\s\S]*?migrations_dir = "migrations")\n/.exec(guide)![1]!.replace(/^ {4}/gm, "");
  mkdirSync(path.join(root, ".wrangler"), { recursive: true });
  const dir = mkdtempSync(path.join(root, ".wrangler", "staging-"));
  try {
    writeFileSync(
      path.join(dir, "wrangler.toml"),
      `${config.replace('main = "src/index.ts"', `main = "${path.join(root, "src/index.ts")}"`).replace('directory = "./public"', `directory = "${path.join(root, "public")}"`)}\n${staging}\n`,
    );
    const out = execFileSync(
      "npx",
      [
        "wrangler",
        "deploy",
        "--dry-run",
        "--env",
        "staging",
        "--config",
        path.join(dir, "wrangler.toml"),
        "--outdir",
        path.join(dir, "out"),
      ],
      {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      },
    );
    expect(out).toContain("customer-api-staging");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
