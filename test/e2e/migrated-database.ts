// A local database as `npm run dev` leaves it on its first start (every migration, the demo data), made
// once for the end-to-end tests (vitest globalSetup). Applying the migrations is most of a start (wrangler
// runs each one apart, about a second each), so the tests that are not about a first start begin from a
// copy of it; the README's, the operators' and local staging's tests start from nothing, as a newcomer.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import type { TestProject } from "vitest/node";
import { startDevServer } from "../../scripts/dev-server";

export default async function setup(project: TestProject) {
  const dev = await startDevServer();
  await dev.stop({ keepDatabase: true });
  project.provide("migratedDatabase", dev.persistTo);
  return () => rmSync(dev.persistTo, { recursive: true, force: true });
}

/** A directory of this test's own holding a copy of the migrated database, for `startDevServer`. */
export function copyOfMigratedDatabase(): string {
  const copy = mkdtempSync(path.join(tmpdir(), "customer-api-e2e-"));
  cpSync(inject("migratedDatabase"), copy, { recursive: true });
  return copy;
}
