// The Workers-pool tests alone, as StrykerJS runs them for each mutant (npm run mutation): the e2e
// project starts `npm run dev` and would take minutes a mutant.
import path from "node:path";
import { defineConfig } from "vitest/config";
import { workerProject } from "../../vitest.config";

export default defineConfig({
  ...workerProject,
  root: path.resolve(import.meta.dirname, "../.."),
  test: { ...workerProject.test, onConsoleLog: (log: string) => !log.startsWith('{"time":') },
});
