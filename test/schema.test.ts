// The database as the migrations leave it, held against the sources in TypeScript: the triggers
// (src/db/triggers.ts) and the reference data the list's filters enumerate (src/db/filters.ts).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FILTERS } from "../src/db/filters";
import { TRIGGERS } from "../src/db/triggers";
import { createCustomer } from "./helpers";

const normalized = (sql: string) => sql.replace(/\s+/g, " ").trim();

/** Each trigger that differs between the database and the source, with what to do about it. */
function triggerDrift(installed: Record<string, string>, source: Record<string, string>): string[] {
  const restore = "run `npm run db:triggers` for a migration that restores it from src/db/triggers.ts";
  const problems: string[] = [];
  for (const [name, create] of Object.entries(source)) {
    if (!(name in installed))
      problems.push(`trigger ${name} is missing from the database (a table rebuild drops its triggers): ${restore}`);
    else if (normalized(installed[name]!) !== normalized(create))
      problems.push(`trigger ${name} differs from src/db/triggers.ts: ${restore}`);
  }
  for (const name of Object.keys(installed)) {
    if (!(name in source))
      problems.push(`trigger ${name} is in the database but not in src/db/triggers.ts: add it there, or drop it in a migration`);
  }
  return problems;
}

describe("after every migration", () => {
  it("the database has exactly the triggers of src/db/triggers.ts", async () => {
    const { results } = await env.DB.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all<{
      name: string;
      sql: string;
    }>();
    const installed = Object.fromEntries(results.map(({ name, sql }) => [name, sql]));
    expect(triggerDrift(installed, TRIGGERS)).toEqual([]);
  });

  it("a rebuild that drops or alters a trigger fails with a message that says which and how to restore it", () => {
    const [name, create] = Object.entries(TRIGGERS)[0]!;
    const { [name]: _dropped, ...rest } = TRIGGERS;
    expect(triggerDrift(rest, TRIGGERS)).toEqual([
      `trigger ${name} is missing from the database (a table rebuild drops its triggers): run \`npm run db:triggers\` for a migration that restores it from src/db/triggers.ts`,
    ]);
    expect(triggerDrift({ ...TRIGGERS, [name]: create.replace("+ 1", "+ 2").replace("1)", "2)") }, TRIGGERS)).toEqual([
      `trigger ${name} differs from src/db/triggers.ts: run \`npm run db:triggers\` for a migration that restores it from src/db/triggers.ts`,
    ]);
  });

  it("the reference data has exactly the values the list merges for each enumerated dimension", async () => {
    const tables = { status: "customer_statuses", type: "customer_types" } as const;
    for (const [name, table] of Object.entries(tables)) {
      const { results } = await env.DB.prepare(`SELECT id FROM ${table} ORDER BY id`).all<{ id: number }>();
      expect(
        results.map((row) => row.id),
        `${table} against FILTERS.${name}`,
      ).toEqual([...FILTERS[name as keyof typeof tables].dimension.values]);
    }
  });
});

describe("the overwrite triggers", () => {
  // The refusal shows the overwrite too: the check after the update sees the zeros the trigger wrote
  // before it, in the column the update did not set. test/e2e/erasure.test.ts reads the database file.
  it("refuse an update of the version that does not set the person's text, which would keep the zeros they wrote", async () => {
    const id = await createCustomer({ name: "Overwritten Oona", email: "oona@example.fi" });
    const row = () => env.DB.prepare("SELECT name, email, version FROM customers WHERE id = ?").bind(id).first();
    const before = await row();
    await expect(env.DB.prepare("UPDATE customers SET version = version + 1 WHERE id = ?").bind(id).run()).rejects.toThrow(
      /an update of the version must set every overwritten column/,
    );
    // Setting some of them is not enough: the name would be kept as zeros.
    await expect(env.DB.prepare("UPDATE customers SET version = version + 1, email = email WHERE id = ?").bind(id).run()).rejects.toThrow(
      /an update of the version must set every overwritten column/,
    );
    expect(await row()).toEqual(before);
    expect(before).toEqual({ name: "Overwritten Oona", email: "oona@example.fi", version: 1 });
  });
});
