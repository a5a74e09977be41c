// GDPR erasure at the storage level: after an erasure, the person's name, e-mail and personal id are
// nowhere in the local database file, freed pages included (D1 accepts no `PRAGMA secure_delete`, so
// the service overwrites them where they lie before deleting: docs/security.md). The write-ahead log
// of recent writes keeps them until it is checkpointed; on Cloudflare, D1's Time Travel for 30 days.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { startDevServer } from "../../scripts/dev-server";

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) =>
    statSync(path.join(dir, name)).isDirectory() ? filesUnder(path.join(dir, name)) : [path.join(dir, name)],
  );

it("leaves no byte of an erased customer's personal data in the database files; a kept customer's are there", async () => {
  const dev = await startDevServer();
  const { persistTo } = dev;
  try {
    const key = dev
      .consumer("create", "--name", "erasure", "--scopes", "customers:read,customers:write", "--gdpr", "normal")
      .trim()
      .split("\n")
      .at(-1)!;
    const post = async (canary: string, idempotencyKey: string) => {
      const res = await dev.call(`${dev.base}/api/v2/customers/`, {
        method: "POST",
        headers: { Authorization: `Token ${key}`, "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
        body: JSON.stringify({
          name: `${canary} Name`,
          email: `${canary.toLowerCase()}@example.fi`,
          personal_id: `${canary}-ID`,
          note: `${canary} note`,
        }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: number }).id;
    };
    const erased = await post("ERASEDCANARY", "erased-key");
    await post("KEPTCANARY", "kept-key");
    const res = await dev.call(`${dev.base}/api/v2/customers/${erased}/`, { method: "DELETE", headers: { Authorization: `Token ${key}` } });
    expect(res.status).toBe(204);
    await dev.stop({ keepDatabase: true });
    // The write-ahead log keeps the pages of recent writes until SQLite checkpoints it into the
    // database file: checkpoint it, as SQLite does by itself, and read what the database keeps.
    const [database] = filesUnder(path.join(persistTo, "v3", "d1")).filter(
      (file) => file.endsWith(".sqlite") && !file.endsWith("metadata.sqlite"),
    );
    execFileSync("python3", [
      "-c",
      "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA wal_checkpoint(TRUNCATE)').fetchall()",
      database!,
    ]);
    const bytes = readFileSync(database!);
    expect(bytes.includes("KEPTCANARY")).toBe(true);
    for (const canary of ["ERASEDCANARY", "erasedcanary"]) expect(bytes.includes(canary), canary).toBe(false);
  } finally {
    await dev.stop();
  }
});
