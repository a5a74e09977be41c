// What an operator runs: a restart keeps the local database, db:reset starts it afresh, the consumer
// command explains itself and refuses what would not work, and the audit command reads an erased
// customer's trail.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type DevServer, root, startDevServer } from "../../scripts/dev-server";
import { copyOfMigratedDatabase } from "./migrated-database";

let dev: DevServer | undefined;
afterAll(() => dev?.stop());

const npm = (args: string[], env: NodeJS.ProcessEnv) => spawnSync("npm", ["run", "-s", ...args], { cwd: root, env, encoding: "utf8" });

describe("the local database", () => {
  it("survives a restart of npm run dev (demo data only into a new database); db:reset refuses while it runs, then deletes it", async () => {
    dev = await startDevServer();
    expect(dev.output).toContain("Demo data loaded: customers 1-500.");
    // The first start says what matters in a few lines: the migrations once, then the addresses and the key command last.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const printed = dev
      .log()
      .split("\n")
      .filter((line) => line.trim() && !line.startsWith(">"));
    expect(printed.length).toBeLessThanOrEqual(12);
    expect(printed.filter((line) => line.startsWith("Migrations:"))).toEqual([
      expect.stringMatching(/^Migrations: applied \d+ to the local database/),
    ]);
    expect(printed.slice(-4)).toEqual([
      `  Customer API on ${dev.base}/api/v2/`,
      `  Documentation: ${dev.base}/docs`,
      "  Get a key (in another terminal; the key is the last line):",
      expect.stringMatching(/^ {4}npm run consumer -- create --name "me" --scopes customers:read,customers:write --gdpr normal/),
    ]);
    // While the server holds the database, db:reset refuses in one line and deletes nothing.
    const refused = npm(["db:reset"], dev.env);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toMatch(/^db:reset: npm run dev \(process \d+\) is serving this database: stop it first/);
    expect((await dev.call(`${dev.base}/health`)).status).toBe(200);
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

describe("the operators' commands", () => {
  it("say in one line, exit 2, what a remote command without credentials, an environment wrangler.toml lacks or an empty database needs", () => {
    const env = { ...process.env, CLOUDFLARE_API_TOKEN: "", CLOUDFLARE_ACCOUNT_ID: "" };
    const empty = mkdtempSync(path.join(tmpdir(), "no-tables-"));
    for (const [args, message] of [
      [
        ["consumer", "--", "list", "--remote"],
        /^consumer: wrangler d1 execute failed: not logged in to Cloudflare: run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN$/,
      ],
      [
        ["consumer", "--", "list", "--env", "production"],
        /^consumer: --env production: wrangler.toml declares no such environment \(it has: staging\)$/,
      ],
      [["dev", "--", "--env", "production"], /^dev: --env production: wrangler.toml declares no such environment \(it has: staging\)$/],
      [
        ["audit", "--", "7", "--env", "staging", "--persist-to", empty],
        /^audit: wrangler d1 execute failed: the database has no tables yet: `npm run dev` \(`npm run dev -- --env staging`\) migrates/,
      ],
      [["purge", "--", "--remote"], /^purge: wrangler d1 execute failed: not logged in to Cloudflare/],
      [["gdpr:report", "--", "7", "--remote"], /^gdpr:report: wrangler d1 execute failed: not logged in to Cloudflare/],
      [["deploy", "--", "--env", "staging"], /^deploy: wrangler d1 migrations failed: not logged in to Cloudflare/],
      [["audit", "--", "7", "--persist-to", empty], /^audit: wrangler d1 execute failed: the database has no tables yet: `npm run dev` \(/],
    ] as const) {
      const result = npm([...args], env);
      expect(result.status, args.join(" ")).toBe(2);
      const lines = result.stderr.split("\n").filter((line) => line.trim() && !/WARNING|secrets. fields|Processing wrangler/.test(line));
      expect(lines, args.join(" ")).toEqual([expect.stringMatching(message)]);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("purge runs the retention purge on the local database, and gdpr:report prints all that is held about one customer", async () => {
    const server = await startDevServer(copyOfMigratedDatabase());
    try {
      const key = server
        .consumer("create", "--name", "Reporter", "--scopes", "customers:read,customers:write", "--gdpr", "normal")
        .trim()
        .split("\n")
        .at(-1)!;
      const created = await server.call(`${server.base}/api/v2/customers/`, {
        method: "POST",
        headers: { Authorization: `Token ${key}`, "Content-Type": "application/json", "Idempotency-Key": "report-1" },
        body: JSON.stringify({ name: "Ada Report", email: "ada@example.fi" }),
      });
      const { id } = (await created.json()) as { id: number };
      await server.call(`${server.base}/api/v2/customers/${id}/`, {
        method: "PATCH",
        headers: { Authorization: `Token ${key}`, "Content-Type": "application/json" },
        body: JSON.stringify({ note: "moved" }),
      });
      const report = npm(["gdpr:report", "--", String(id)], server.env);
      expect(report.status).toBe(0);
      expect(JSON.parse(report.stdout)).toMatchObject({
        customer_id: id,
        customer: { id, name: "Ada Report", email: "ada@example.fi", note: "moved" },
        audit_entries: [
          { number: 1, action: "create", consumer_name: "Reporter", fields: ["name", "email"] },
          { number: 2, action: "update", consumer_name: "Reporter", fields: ["note"] },
        ],
        idempotency_records: [{ consumer_name: "Reporter", keeps_sealed_copy: true }],
      });
      const purged = npm(["purge"], server.env);
      expect(purged.status).toBe(0);
      expect(purged.stdout).toMatch(/^Purged 0 idempotency records and 0 audit entries/);
    } finally {
      await server.stop();
    }
  });
});
