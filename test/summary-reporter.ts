import type { SerializedError } from "vitest";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends the run with the plain line `N passed, N failed, N skipped` that CI reads. A file that fails
 * outside its tests (a hook, an import) and an unhandled error count as failures too: its tests are
 * only skipped.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>) {
    const counts = { passed: 0, failed: unhandledErrors.length, skipped: 0, pending: 0 };
    for (const module of testModules) {
      const tests = [...module.children.allTests()];
      for (const test of tests) counts[test.result().state]++;
      if (module.state() === "failed" && !tests.some((test) => test.result().state === "failed")) counts.failed++;
    }
    console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped + counts.pending} skipped`);
  }
}
