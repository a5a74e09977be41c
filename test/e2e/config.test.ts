import { existsSync, readdirSync, readFileSync } from "node:fs";
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
