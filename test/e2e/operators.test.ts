// What an operator runs: a restart keeps the local database, db:reset starts it afresh, the consumer
// command explains itself and refuses what would not work, and the audit command reads an erased
// customer's trail.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type DevServer, root, startDevServer } from "../../scripts/dev-server";

let dev: DevServer | undefined;
afterAll(() => dev?.stop());

const npm = (args: string[], env: NodeJS.ProcessEnv) => spawnSync("npm", ["run", "-s", ...args], { cwd: root, env, encoding: "utf8" });

describe("the local database", () => {
  it("survives a restart of npm run dev (demo data only into a new database); db:reset deletes it", async () => {
    dev = await startDevServer();
    expect(dev.output).toContain("Demo data loaded: customers 1-500.");
    const key = dev
      .consumer("create", "--name", "ops", "--scopes", "customers:read,customers:write", "--gdpr", "normal")
      .trim()
      .split("\n")
      .at(-1)!;
    const erase = await dev.call(`${dev.base}/api/v2/customers/9/`, { method: "DELETE", headers: { Authorization: `Token ${key}` } });
    expect(erase.status).toBe(204);
    const { persistTo, env } = dev;
    await dev.stop({ keepDatabase: true });

    dev = await startDevServer(persistTo);
    expect(dev.output).toContain("Using the existing local database");
    expect(dev.output).not.toContain("Demo data loaded");
    const gone = await dev.call(`${dev.base}/api/v2/customers/9/`, { headers: { Authorization: `Token ${key}` } });
    expect(gone.status).toBe(404);

    // The operator's audit command reads the erased customer's trail, locally.
    const trail = npm(["audit", "--", "9"], env);
    expect(trail.status).toBe(0);
    expect(trail.stdout).toContain("delete");
    expect(npm(["audit", "--", "nine"], env).status).toBe(2);

    await dev.stop({ keepDatabase: true });
    dev = undefined;
    const reset = npm(["db:reset"], env);
    expect(reset.status).toBe(0);
    expect(existsSync(path.join(persistTo, "v3", "d1"))).toBe(false);
  });
});

describe("npm run consumer", () => {
  const env = { ...process.env, PERSIST_TO: path.join(root, ".wrangler", "no-such-database") };

  it("--help prints the usage and exits 0", () => {
    const help = npm(["consumer", "--", "--help"], env);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: npm run consumer -- <command>");
  });

  it("an unknown option or command is one line on stderr and exit 2, never a stack trace", () => {
    for (const args of [["--bogus"], ["frobnicate"], ["create", "--nmae", "x"]]) {
      const result = npm(["consumer", "--", ...args], env);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/^consumer: /);
    }
  });

  it("refuses an --expires day that is over, and a day that does not exist", () => {
    for (const day of ["2020-01-01", "2027-02-30", "tomorrow"]) {
      const result = npm(
        ["consumer", "--", "create", "--name", "x", "--scopes", "customers:read", "--gdpr", "none", "--expires", day],
        env,
      );
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/--expires/);
    }
  });
});
