// The README's webhook receiver, as a stranger runs it: its `receiver.mjs` in a project of its own with
// the standardwebhooks library, subscribed and started by the README's commands as written, against
// `npm run dev`; a PATCH of customer 7 reaches it, verified, within seconds.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, root, startDevServer } from "../../scripts/dev-server";
import { copyOfMigratedDatabase } from "./migrated-database";

const readme = readFileSync(path.join(root, "README.md"), "utf8");
const section = readme.slice(
  readme.indexOf("### Receive changes as they happen"),
  readme.indexOf("### GET /api/v2/customers/{id}/changes/"),
);
const receiver = /```js\n([\s\S]*?)```/.exec(section)![1]!;
const steps = /```sh\n([\s\S]*?)```/.exec(section)![1]!;

const project = mkdtempSync(path.join(tmpdir(), "customer-api-receiver-"));
let dev: DevServer;
let key: string;
beforeAll(async () => {
  execFileSync("npm", ["init", "-y"], { cwd: project, stdio: "pipe" });
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "standardwebhooks"], { cwd: project, stdio: "pipe" });
  writeFileSync(path.join(project, "receiver.mjs"), receiver);
  dev = await startDevServer(copyOfMigratedDatabase());
  key = dev.consumer("create", "--name", "me", "--scopes", "customers:read,customers:write", "--gdpr", "normal").trim().split("\n").at(-1)!;
}, 240_000);
afterAll(async () => {
  await dev?.stop();
  rmSync(project, { recursive: true, force: true });
});

it("the README's receiver, subscribed and started as written, prints the change it was sent", async () => {
  expect(section).toContain("npm install standardwebhooks");
  const script = steps.replaceAll("http://127.0.0.1:8787", dev.base);
  // The receiver runs in the background of the steps: its output comes on this shell's stdout.
  const shell = spawn("bash", ["-c", script], {
    cwd: project,
    env: { ...process.env, KEY: key },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  shell.stdout.on("data", (chunk: Buffer) => (printed += chunk));
  shell.stderr.on("data", (chunk: Buffer) => (printed += chunk));
  try {
    await expect.poll(() => printed, { timeout: 15_000, interval: 200 }).toContain("update 7 note");
  } finally {
    // The receiver is in the steps' process group, whether or not their shell has exited.
    process.kill(-shell.pid!, "SIGTERM");
  }
  // The subscription it made is the consumer's own, with the description the README gives it.
  const list = await (await dev.call(`${dev.base}/api/v2/webhooks/`, { headers: { Authorization: `Token ${key}` } })).json();
  expect(list).toEqual([expect.objectContaining({ url: "http://127.0.0.1:8788/", description: "my receiver", status: "active" })]);
});
