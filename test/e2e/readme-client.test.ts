// The README's typed-client snippet, as a stranger's project compiles it: this package packed with
// `npm pack`, installed into a new ESM project whose tsconfig is `tsc --init`'s (exactOptionalPropertyTypes,
// nodenext, no global types), with the TypeScript and hono that npm installs today. It compiles as
// written, and a request body of the wrong type does not.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { root } from "../../scripts/dev-server";

const scratch = mkdtempSync(path.join(tmpdir(), "customer-api-client-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const snippet = /```ts\n([\s\S]*?)```/.exec(readFileSync(path.join(root, "README.md"), "utf8"))![1]!;
const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: scratch, encoding: "utf8", stdio: "pipe" });

beforeAll(() => {
  execFileSync("npm", ["pack", "--pack-destination", scratch], { cwd: root, stdio: "pipe" });
  const tarball = readdirSync(scratch).find((name) => name.endsWith(".tgz"))!;
  run("npm", ["init", "-y"]);
  run("npm", ["pkg", "set", "type=module"]);
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "typescript", "hono", `./${tarball}`]);
  run("npx", ["tsc", "--init"]);
}, 180_000);

function compile(source: string): string {
  writeFileSync(path.join(scratch, "snippet.ts"), source);
  try {
    run("npx", ["tsc", "--noEmit"]);
    return "";
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

it("the project's tsconfig is tsc --init's, strict about optional properties and Node's ESM", () => {
  const config = readFileSync(path.join(scratch, "tsconfig.json"), "utf8");
  expect(config).toMatch(/"exactOptionalPropertyTypes": true/);
  expect(config).toMatch(/"module": "nodenext"/);
});

it("the README's client snippet compiles as written against the packed package", () => {
  expect(snippet).toContain('import type { App } from "customer-api"');
  expect(compile(snippet)).toBe("");
});

it("a request body of the wrong type does not compile", () => {
  const wrong = snippet.replace('json: { note: "Meter moved" }', "json: { note: 123 }");
  expect(wrong).not.toBe(snippet);
  expect(compile(wrong)).toMatch(/error TS2322/);
});
