import { availableParallelism } from "node:os";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { demoDataStatements } from "./scripts/demo-data.ts";

const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
// The two slots of the sealing key (wrangler.toml [secrets]), for the tests only.
const SEALING_KEYS = {
  SEALING_KEY_1: "the tests' first sealing key, 32 bytes or more",
  SEALING_KEY_2: "the tests' second sealing key, as long",
};

/** The Worker in workerd against a real local D1 (per test file), through its fetch handler. */
export const workerProject = {
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      // Test-only bindings: test/setup.ts applies the migrations to each test file's D1; a test
      // that needs the demo customers loads them (test/helpers.ts).
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: migrations,
          TEST_DEMO_DATA: demoDataStatements(),
          D1_TIMEOUT_MS: "2000",
          ...SEALING_KEYS,
          PURGE_BATCH_SIZE: "10",
          RATE_LIMIT_STANDARD_PER_MINUTE: "10",
          RATE_LIMIT_HIGH_PER_MINUTE: "15",
          WEBHOOKS_ALLOW_LOCALHOST: "true",
        },
        // Small limits, so that test/rate-limit.test.ts reaches them quickly.
        ratelimits: {
          RATE_LIMIT_STANDARD: { namespace_id: "1001", simple: { limit: 10, period: 60 } },
          RATE_LIMIT_HIGH: { namespace_id: "1002", simple: { limit: 15, period: 60 } },
          RATE_LIMIT_NEW_KEYS: { namespace_id: "1003", simple: { limit: 5, period: 60 } },
        },
      },
    }),
  ],
  test: {
    name: "worker",
    // A harness limit, not a timing assertion: generous for a busy 2-core machine.
    testTimeout: 60_000,
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**"],
    setupFiles: ["./test/setup.ts"],
    // A webhook receiver on this machine, verifying with the standardwebhooks library (test/webhooks.test.ts).
    globalSetup: ["./test/webhook-receiver.ts"],
  },
};

export default defineConfig({
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    // Vitest's default is one file at a time on two cores; the end-to-end files mostly wait on the
    // servers and commands they start, so two run side by side even there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The Worker's access log (one JSON line a request) would bury the report; test/logging.test.ts reads it.
    onConsoleLog: (log: string) => !log.startsWith('{"time":'),
    projects: [
      workerProject,
      {
        // The README's commands as a newcomer runs them: `npm run dev`, the consumer command, curl.
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
          globalSetup: ["./test/e2e/migrated-database.ts"],
        },
      },
    ],
  },
});
