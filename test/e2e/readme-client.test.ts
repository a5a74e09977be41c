// The README's typed-client snippet, compiled exactly as written (and once with a wrongly typed body,
// which must not compile), as another project would compile it against this package's types.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { root } from "../../scripts/dev-server";

const dir = path.join(root, ".wrangler", "readme-client");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const snippet = /```ts\n([\s\S]*?)```/.exec(readFileSync(path.join(root, "README.md"), "utf8"))![1]!;

function compile(source: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "snippet.ts"), source);
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ extends: "../../tsconfig.json", compilerOptions: { noUnusedLocals: false }, include: ["snippet.ts"], exclude: [] }),
  );
  try {
    execFileSync("npx", ["tsc", "-p", dir], { cwd: root, encoding: "utf8" });
    return "";
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

it("the README's client snippet compiles as written, with the app's types", () => {
  expect(snippet).toContain('import type { App } from "customer-api"');
  expect(compile(snippet)).toBe("");
});

it("a request body of the wrong type does not compile", () => {
  const wrong = snippet.replace('json: { note: "Meter moved" }', "json: { note: 123 }");
  expect(wrong).not.toBe(snippet);
  expect(compile(wrong)).toMatch(/error TS2322/);
});
