// GDPR erasure at the storage level: after an erasure, the person's data is nowhere in the local
// database file, freed space included, for the current values and the earlier ones a customer was
// updated from, long and non-ASCII ones included. D1 accepts neither `PRAGMA secure_delete` nor VACUUM:
// the service overwrites each value where it lies before giving it up, and keeps the idempotency
// record's copy sealed (docs/security.md says what still remains, and where).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../scripts/dev-server";
import { copyOfMigratedDatabase } from "./migrated-database";

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) =>
    statSync(path.join(dir, name)).isDirectory() ? filesUnder(path.join(dir, name)) : [path.join(dir, name)],
  );

/** The database file as SQLite keeps it once its write-ahead log is checkpointed, as SQLite does by itself. */
function databaseBytes(persistTo: string) {
  const [database] = filesUnder(path.join(persistTo, "v3", "d1")).filter(
    (file) => file.endsWith(".sqlite") && !file.endsWith("metadata.sqlite"),
  );
  execFileSync("python3", [
    "-c",
    "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA wal_checkpoint(TRUNCATE)').fetchall()",
    database!,
  ]);
  return readFileSync(database!);
}

async function send(dev: DevServer, key: string, method: string, url: string, body?: object, headers: Record<string, string> = {}) {
  const res = await dev.call(`${dev.base}/api/v2/customers/${url}`, {
    method,
    headers: { Authorization: `Token ${key}`, "Content-Type": "application/json", ...headers },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as { id: number }) };
}

it("leaves no byte of an erased customer's data, earlier values included, in the database file; a kept customer's are there", async () => {
  const dev = await startDevServer(copyOfMigratedDatabase());
  try {
    const key = dev
      .consumer("create", "--name", "erasure", "--scopes", "customers:read,customers:write", "--gdpr", "normal")
      .trim()
      .split("\n")
      .at(-1)!;
    // Created with a note of some 2,000 bytes (which the idempotency record's copy holds too)…
    const created = await send(
      dev,
      key,
      "POST",
      "",
      {
        name: "ERASEDCANARY Meikäläinen",
        email: "erasedcanary@example.fi",
        personal_id: "ERASEDCANARY-ID",
        note: `ERASEDNOTE ${"ä".repeat(1000)}`,
      },
      { "Idempotency-Key": "erased-key" },
    );
    expect(created.status).toBe(201);
    const id = created.body!.id;
    // …updated to longer values, then to shorter ones.
    expect(
      (await send(dev, key, "PATCH", `${id}/`, { name: `ERASEDLONGER ${"ö".repeat(150)}`, note: `ERASEDNOTETWO ${"ö".repeat(1500)}` }))
        .status,
    ).toBe(200);
    expect(
      (await send(dev, key, "PATCH", `${id}/`, { name: "ERASEDSHORT Äijälä", note: "ERASEDNOTETHREE", email: "erasedshort@example.fi" }))
        .status,
    ).toBe(200);
    const kept = { name: "KEPTCANARY Keränen", note: `KEPTNOTE ${"ä".repeat(1000)}` };
    expect((await send(dev, key, "POST", "", kept, { "Idempotency-Key": "kept-key" })).status).toBe(201);
    expect((await send(dev, key, "DELETE", `${id}/`)).status).toBe(204);
    await dev.stop({ keepDatabase: true });
    const bytes = databaseBytes(dev.persistTo);
    expect(bytes.includes("KEPTCANARY Keränen")).toBe(true);
    const erased = ["ERASEDCANARY", "Meikäläinen", "erasedcanary", "ERASEDLONGER", "ERASEDNOTE", "ERASEDSHORT", "Äijälä", "erasedshort"];
    expect(erased.filter((canary) => bytes.includes(canary))).toEqual([]);
    // Nor runs of the long values' characters (as UTF-8), which only the erased customer had so many of.
    expect(bytes.includes("ö".repeat(20))).toBe(false);
  } finally {
    await dev.stop();
  }
});
