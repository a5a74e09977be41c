import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, root, startDevServer } from "../../scripts/dev-server";
import { FILTERS } from "../../src/db/filters";

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
  expect(dev.sql("SELECT name, rate_tier, revoked_at IS NOT NULL AS revoked FROM api_consumers WHERE id = 3")).toEqual([
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

/** The rows of the README's table of PATCH answers: case, status, and the cell with the body. */
function patchAnswers() {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const table = readme.slice(
    readme.indexOf("### PATCH /api/v2/customers/{id}/"),
    readme.indexOf("`id` and `modified` in a body are read-only"),
  );
  return [...table.matchAll(/^\| (.+?) \| (\d{3}) \| (.+) \|$/gm)].map(([, label, status, body]) => ({
    label: label!,
    status: Number(status),
    body: body!,
  }));
}

it("every example of the README's table of PATCH answers is the server's own answer", async () => {
  const key = dev
    .consumer("create", "--name", "README answers", "--scopes", "customers:read,customers:write", "--gdpr", "normal")
    .trim()
    .split("\n")
    .at(-1)!;
  const reader = dev
    .consumer("create", "--name", "README reader", "--scopes", "customers:read", "--gdpr", "normal")
    .trim()
    .split("\n")
    .at(-1)!;
  const none = dev
    .consumer("create", "--name", "README none", "--scopes", "customers:read,customers:write", "--gdpr", "none")
    .trim()
    .split("\n")
    .at(-1)!;
  const json = "application/json";
  const send = (
    body: string,
    {
      as = key,
      type = json,
      headers = {},
      method = "PATCH",
      id = "12",
    }: { as?: string; type?: string; headers?: Record<string, string>; method?: string; id?: string } = {},
  ) =>
    dev.call(`${dev.base}/api/v2/customers/${id}/`, {
      method,
      headers: { ...(as ? { Authorization: `Token ${as}` } : {}), "Content-Type": type, ...headers },
      body,
    });
  const cases: Record<string, () => Promise<Response>> = {
    success: () => send('{"note": "README"}'),
    "`{}`, an empty body, or only unchanged values": () => send("{}"),
    "no credentials": () => send("{}", { as: "" }),
    "an unknown key": () => send("{}", { as: "0".repeat(40) }),
    "no `customers:write` scope": () => send("{}", { as: reader }),
    "personal data without GDPR access": () => send('{"name": "x", "email": "a@b.fi"}', { as: none }),
    "no such customer": () => send("{}", { id: "999999999" }),
    "malformed JSON": () => send('{"note": }'),
    "JSON that is not an object": () => send("[]"),
    "JSON `null`": () => send("null"),
    "invalid fields": () => send('{"email": "x", "address": 9999}'),
    "unknown field": () => send('{"nmae": "x"}'),
    "`If-Match` stale": () => send("{}", { headers: { "If-Match": '"999"' } }),
    "`If-Match` malformed": () => send("{}", { headers: { "If-Match": "3" } }),
    "`If-Match` with more than 32 tags": () =>
      send("{}", { headers: { "If-Match": Array.from({ length: 33 }, (_, i) => `"${i + 1}"`).join(", ") } }),
    "body over 64 KiB": () => send(JSON.stringify({ note: "x".repeat(70_000) })),
    "another content type": () => send("{}", { type: "text/plain" }),
    "another method": () => send("{}", { method: "PUT" }),
  };
  // Covered where they can be caused: test/rate-limit.test.ts and test/faults.test.ts.
  const elsewhere = ["over the consumer's rate limit", "database unavailable or timed out"];
  const rows = patchAnswers();
  expect(rows.map((row) => row.label).filter((label) => !(label in cases) && !elsewhere.includes(label))).toEqual([]);
  for (const { label, status, body } of rows.filter((row) => row.label in cases)) {
    const res = await cases[label]!();
    expect(res.status, label).toBe(status);
    const example = /^`(\{.*?\})`/.exec(body)?.[1];
    if (example) expect(await res.json(), label).toEqual(JSON.parse(example));
    for (const [, name, value] of body.matchAll(/\+ `([\w-]+): ([^`]+)`/g)) expect(res.headers.get(name!), `${label}: ${name}`).toBe(value);
  }
});

it("the README's filter table is the filter table's (src/db/filters.ts)", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const cost = (filter: (typeof FILTERS)[keyof typeof FILTERS]) =>
    "dimension" in filter
      ? "counted; any combination pages in O(limit)"
      : filter.match === "equals"
        ? "one index row"
        : filter.match === "in"
          ? "one primary-key row per id"
          : "reads the range's matches (offset mode)";
  const table = [
    "| parameter | selects | its cost |",
    "|---|---|---|",
    ...Object.entries(FILTERS).map(([name, filter]) => `| \`${name}\` | ${filter.description} | ${cost(filter)} |`),
  ].join("\n");
  expect(readme).toContain(table);
});
