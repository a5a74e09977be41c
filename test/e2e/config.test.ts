import { readFileSync } from "node:fs";
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
