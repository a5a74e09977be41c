// Rotating the sealing key as docs/deploy.md gives the steps, under `npm run dev`: a new value into the
// slot not in use, then that slot seals. A cursor sealed before the rotation still opens after it; once
// its slot is overwritten by the next rotation, it does not. The secrets are a file of this test's own
// (DEV_VARS), so that other dev servers' .dev.vars is left alone.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../scripts/dev-server";
import { copyOfMigratedDatabase } from "./migrated-database";

const dir = mkdtempSync(path.join(tmpdir(), "customer-api-rotation-"));
const devVars = path.join(dir, "secrets.env");
const persistTo = copyOfMigratedDatabase();
let dev: DevServer | undefined;
afterAll(async () => dev?.stop());

/** What `wrangler secret put <slot>` does: a new random value in that slot. */
function putSecret(slot: "SEALING_KEY_1" | "SEALING_KEY_2") {
  const others = readFileSync(devVars, "utf8")
    .split("\n")
    .filter((line) => line && !line.startsWith(`${slot}=`));
  writeFileSync(devVars, [...others, `${slot}="${randomBytes(32).toString("hex")}"`, ""].join("\n"));
}

it("a cursor sealed before a rotation opens after it, until the next rotation overwrites its slot", async () => {
  const restart = async (slot: "1" | "2") => {
    await dev?.stop({ keepDatabase: true });
    dev = await startDevServer(persistTo, { DEV_VARS: devVars, SEALING_KEY_IN_USE: slot });
  };
  await restart("1");
  // npm run dev wrote both slots into the file it was given.
  expect(readFileSync(devVars, "utf8")).toMatch(/^SEALING_KEY_1="[0-9a-f]{64}"\nSEALING_KEY_2="[0-9a-f]{64}"\n$/);
  const key = dev!.consumer("create", "--name", "rotation", "--scopes", "customers:read", "--gdpr", "normal").trim().split("\n").at(-1)!;
  const feed = async (url: string) => {
    const res = await dev!.call(url.replace(/^http:\/\/[^/]+/, dev!.base), { headers: { Authorization: `Token ${key}` } });
    return { status: res.status, next: res.status === 200 ? ((await res.json()) as { next: string }).next : undefined };
  };
  const before = (await feed(`${dev!.base}/api/v2/changes/?limit=1`)).next!;

  putSecret("SEALING_KEY_2");
  await restart("2");
  expect((await feed(before)).status).toBe(200);
  const after = (await feed(`${dev!.base}/api/v2/changes/?limit=1`)).next!;

  putSecret("SEALING_KEY_1");
  await restart("1");
  expect((await feed(before)).status).toBe(404);
  expect((await feed(after)).status).toBe(200);
});
