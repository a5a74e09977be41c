// npm run mutation: StrykerJS mutates the modules that keep personal data private and writes whole,
// and runs the Workers-pool tests that cover each mutant; a mutant the tests do not notice is a rule
// no test holds. Not in CI (about an hour on two cores); its score is in bench/MUTATION.md.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  // Every test file: most reach the code through the Worker's fetch handler, not by an import vitest could follow.
  vitest: { configFile: "test/mutation/vitest.config.ts", related: false },
  mutate: [
    "src/db/visibility.ts",
    "src/db/update-customers.ts",
    "src/db/erase-customer.ts",
    "src/db/overwrite.ts",
    "src/db/retention.ts",
    "src/http/seal.ts",
    "src/customers/entries.ts",
    "src/customers/refusals.ts",
    "src/customers/idempotency.ts",
  ],
  coverageAnalysis: "perTest",
  // One workerd at a time: the machine has two cores, and each test file starts its own D1.
  concurrency: 1,
  timeoutMS: 60_000,
  ignorePatterns: [".wrangler", "bench/out", "dist", "docs-check.png"],
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "bench/out/mutation.json" },
  thresholds: { high: 95, low: 90, break: null },
};
