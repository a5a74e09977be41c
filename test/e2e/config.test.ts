import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it, vi } from "vitest";
import { unstable_readConfig } from "wrangler";
import { root, startDevServer } from "../../scripts/dev-server";

const config = readFileSync(path.join(root, "wrangler.toml"), "utf8");

it("the limits told in X-RateLimit-Limit are the limits of the rate-limit bindings", () => {
  for (const tier of ["STANDARD", "HIGH"]) {
    const told = new RegExp(`^RATE_LIMIT_${tier}_PER_MINUTE = "(\\d+)"`, "m").exec(config)?.[1];
    const binding = new RegExp(`name = "RATE_LIMIT_${tier}"\\n[^\\n]*\\nsimple = \\{ limit = (\\d+), period = 60 \\}`).exec(config)?.[1];
    expect(told, tier).toBeDefined();
    expect(told).toBe(binding);
  }
});

it("the compatibility date is one that wrangler 4.86's local workerd accepts", () => {
  const date = /^compatibility_date = "([\d-]+)"/m.exec(config)?.[1];
  expect(date! <= "2026-04-26").toBe(true);
});

it("the documentation stands alone: no link or path leads outside the repository", () => {
  const pages = ["README.md", ...readdirSync(path.join(root, "docs")).map((page) => `docs/${page}`), "bench/RESULTS.md"];
  for (const page of pages) {
    const text = readFileSync(path.join(root, page), "utf8");
    expect(text, page).not.toMatch(/\.\.\/shared|SPEC\.md|SPEC §/);
    for (const [, target] of text.matchAll(/\]\(([^)#]+)\)/g)) {
      if (/^https?:/.test(target!)) continue;
      expect(existsSync(path.resolve(root, path.dirname(page), target!)), `${page} → ${target}`).toBe(true);
    }
  }
});

/** The indented commands of docs/deploy.md's section on a staging environment, after "Locally". */
function localStagingCommands(): string[] {
  const deploy = readFileSync(path.join(root, "docs/deploy.md"), "utf8");
  const section = deploy.slice(deploy.indexOf("## 10. A staging environment"), deploy.indexOf("## 11."));
  const local = section.slice(section.indexOf("Locally,"));
  return [...local.matchAll(/^ {4}(\S.*)$/gm)].map((match) => match[1]!);
}

it("local staging runs as docs/deploy.md gives it: its own database and sealing key, a key made for it, a keyed request", async () => {
  const [serve, makeKey, request] = localStagingCommands();
  expect(serve).toMatch(/^npm run dev -- /);
  const dev = await startDevServer(undefined, {}, serve!.replace(/^npm run dev -- /, "").split(" "));
  try {
    expect(readFileSync(path.join(root, ".dev.vars.staging"), "utf8")).toMatch(/^SEALING_KEY_1=.*\nSEALING_KEY_2=/m);
    const shell = (command: string) => execFileSync("bash", ["-c", command], { cwd: root, env: dev.env, encoding: "utf8" });
    const key = shell(`${makeKey}; echo "$KEY"`).trim().split("\n").at(-1)!;
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    const page = JSON.parse(shell(`KEY=${key}; ${request!.replaceAll("http://127.0.0.1:8787", dev.base)}`));
    expect(page).toMatchObject({ count: 500, previous: null, results: [expect.objectContaining({ id: 1 })] });
    // The key is staging's: the top level's local database in the same folder has never been made.
    const production = spawnSync("npm", ["run", "-s", "consumer", "--", "list"], { cwd: root, env: dev.env, encoding: "utf8" });
    expect(production.stderr).toMatch(/no tables yet/);
  } finally {
    await dev.stop();
  }
});

/** The indented lines of docs/deploy.md's section on a custom domain. */
function customDomainLines(): string[] {
  const deploy = readFileSync(path.join(root, "docs/deploy.md"), "utf8");
  return [...deploy.slice(deploy.indexOf("## 13.")).matchAll(/^ {4}(\S.*)$/gm)].map((match) => match[1]!);
}

it("the custom-domain lines of docs/deploy.md, uncommented where wrangler.toml has them, give each environment its address", () => {
  const lines = customDomainLines();
  expect(lines).toHaveLength(4);
  let uncommented = config;
  for (const line of lines) {
    expect(config).toContain(`# ${line}\n`);
    uncommented = uncommented.replace(`# ${line}\n`, `${line}\n`);
  }
  const folder = mkdtempSync(path.join(tmpdir(), "customer-api-domain-"));
  writeFileSync(path.join(folder, "wrangler.toml"), uncommented);
  const warnings: string[] = [];
  const warn = vi.spyOn(console, "warn").mockImplementation((...args) => void warnings.push(args.join(" ")));
  // wrangler also logs that a newer version exists, which says nothing here.
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    const read = (env?: string) => unstable_readConfig({ config: path.join(folder, "wrangler.toml"), env });
    expect([read(), read("staging")].map(({ routes, workers_dev }) => ({ routes, workers_dev }))).toEqual([
      { routes: [{ pattern: "customers.example.fi", custom_domain: true }], workers_dev: false },
      { routes: [{ pattern: "customers-staging.example.fi", custom_domain: true }], workers_dev: false },
    ]);
    expect(warnings.join("\n")).not.toMatch(/Unexpected fields/);
    // The check can fail: the same lines appended at the end land in the last table, and wrangler says so.
    writeFileSync(path.join(folder, "wrangler.toml"), `${config}\n${lines.slice(2).join("\n")}\n`);
    expect(read("staging").routes).toBeUndefined();
    expect(warnings.join("\n")).toMatch(/Unexpected fields found in env\.staging\.ratelimits\[2\] field: "routes"/);
  } finally {
    warn.mockRestore();
    log.mockRestore();
    rmSync(folder, { recursive: true, force: true });
  }
});

it("the deploy workflow's token may only read the repository", () => {
  const workflow = readFileSync(path.join(root, ".github/workflows/deploy.yml"), "utf8");
  expect(workflow).toMatch(/^permissions:\n {2}contents: read\n\n/m);
});

it("gradual deployment to staging is production's commands, each for staging, and wrangler takes them", () => {
  const deploy = readFileSync(path.join(root, "docs/deploy.md"), "utf8");
  const section = deploy.slice(deploy.indexOf("## 11. Gradual deployments"), deploy.indexOf("## 12."));
  const staging = section.indexOf("Staging the same way");
  const commands = (text: string) => [...text.matchAll(/^ {4}(\S.*)$/gm)].map((match) => match[1]!);
  const forStaging = commands(section.slice(staging));
  expect(forStaging).toEqual(
    commands(section.slice(0, staging)).map((command) => (command.startsWith("npx wrangler") ? `${command} --env staging` : command)),
  );
  const upload = forStaging.find((command) => command.includes("versions upload"))!;
  const output = execFileSync("bash", ["-c", `${upload} --dry-run`], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  expect(output).toMatch(/env\.DB \(customer-api-staging\)/);
  expect(output).toMatch(/--dry-run: exiting now/);
});
