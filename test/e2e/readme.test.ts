import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, root, startDevServer } from "../../scripts/dev-server";

let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev?.stop());

/** The shell commands of the README's indented code blocks, continuation lines joined. */
function readmeCommands(): string[] {
  const lines = readFileSync(path.join(root, "README.md"), "utf8").split("\n");
  const commands: string[] = [];
  let fenced = false;
  let pending = "";
  for (const line of lines) {
    if (line.trimStart().startsWith("```")) fenced = !fenced;
    if (fenced || !/^ {4,}\S/.test(line)) continue;
    pending += `${line.trim()} `;
    if (line.endsWith("\\")) {
      pending = pending.replace(/\\ $/, "");
      continue;
    }
    commands.push(pending.trim());
    pending = "";
  }
  return commands;
}

it("every command of the README runs as written against npm run dev", () => {
  const commands = readmeCommands();
  // The two commands that start everything are what .ci/run and startDevServer run.
  const runnable = commands.filter((command) => !command.startsWith("npm ci"));
  expect(runnable.filter((command) => command.startsWith("curl")).length).toBeGreaterThanOrEqual(8);
  expect(runnable.some((command) => command.startsWith("KEY=$(npm run"))).toBe(true);

  let key = "";
  for (const command of runnable) {
    if (!/^(curl|npm run|KEY=)/.test(command)) continue;
    // On this server's port; curl fails on an error status (a 4xx or 5xx would be the README's bug).
    const script = command.replaceAll("http://127.0.0.1:8787", dev.base).replace(/^curl /, "curl --fail-with-body -sS ");
    const output = execFileSync("bash", ["-c", command.startsWith("KEY=") ? `${script}; echo "$KEY"` : script], {
      cwd: root,
      env: { ...dev.env, KEY: key },
      encoding: "utf8",
    });
    if (command.startsWith("KEY=")) key = output.trim().split("\n").at(-1)!;
  }
  expect(key).toMatch(/^[0-9a-f]{40}$/);
  // What the commands did: customer 7 changed, 10 and 11 changed in bulk, 9 erased, Billing's key revoked.
  expect(dev.sql("SELECT note FROM customers WHERE id = 7")).toEqual([{ note: "Meter moved to the cellar" }]);
  expect(dev.sql("SELECT id, note, no_sms FROM customers WHERE id IN (10, 11) ORDER BY id")).toEqual([
    expect.objectContaining({ id: 10, note: "Meter read 2026-11-27" }),
    expect.objectContaining({ id: 11, no_sms: 1 }),
  ]);
  expect(dev.sql("SELECT count(*) AS n FROM customers WHERE id = 9")).toEqual([{ n: 0 }]);
  expect(dev.sql("SELECT name, rate_tier, revoked_at IS NOT NULL AS revoked FROM api_consumers WHERE id = 2")).toEqual([
    { name: "Billing", rate_tier: "unlimited", revoked: 1 },
  ]);
});

it("every npm script the README names exists (those no test runs: bench, soak, docs:check, deploy, …)", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const scripts = Object.keys(JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts);
  const named = [...new Set([...readme.matchAll(/npm (?:run(?: -s)? ([\w:-]+)|(test|start))/g)].map((m) => m[1] ?? m[2]!))];
  expect(named.length).toBeGreaterThan(10);
  expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
});
