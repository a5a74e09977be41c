// The README's client steps, run as a stranger types them: on a clone of the last commit (no `npm ci`,
// no build), both routes (git dependency and `npm pack`), each into a new project made with `npm init`
// and `tsc --init`, with the TypeScript and hono that npm installs today. In each project the README's
// snippet compiles as written, and so does a file that meets every answer the OpenAPI document gives,
// also with `skipLibCheck: false`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../../scripts/dev-server";

const scratch = mkdtempSync(path.join(tmpdir(), "customer-api-client-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const clone = path.join(scratch, "customer-api");

const readme = readFileSync(path.join(root, "README.md"), "utf8");
const snippet = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
const shellBlocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
const route = (marker: string) => shellBlocks.find((block) => block.includes(marker))!;
const compileStep = route("npx tsc --noEmit");

type Document = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };
/** The OpenAPI document as `npm run build:assets` builds it. */
const documentJson = (): Document =>
  JSON.parse(
    execFileSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/build-openapi.ts"], {
      cwd: root,
      encoding: "utf8",
    }),
  );

/**
 * A file that meets every answer of every operation as a user does: a `switch` over the operation's
 * documented statuses that must be exhaustive (a status the types lack is TS2678, one they add that the
 * document does not give is TS1360).
 */
function everyAnswer(document: Document): string {
  const functions = Object.entries(document.paths).flatMap(([url, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const segments = url.split("/").filter(Boolean);
      const type = segments.map((segment) => `[${JSON.stringify(segment.replace(/^\{(\w+)\}$/, ":$1"))}]`).join("");
      const cases = Object.keys(operation.responses).map((status) => `case ${status}:`);
      return `export function ${operation.operationId}(res: Awaited<ReturnType<(typeof api)${type}["$${method}"]>>) {
  switch (res.status) {
    ${cases.join(" ")} return;
    default: return res satisfies never;
  }
}`;
    }),
  );
  return [
    `import type { hc } from "hono/client";`,
    `import type { App } from "customer-api";`,
    `declare const api: ReturnType<typeof hc<App>>;`,
    ...functions,
  ].join("\n");
}

/** What the integrator wrote: a customer's id as a number, a numeric sum, the first page's `changes`. */
const asAUserReadsThem = `import { hc } from "hono/client";
import type { App } from "customer-api";

const api = hc<App>("https://customers.example.fi", { headers: { Authorization: "Token key" } });
const res = await api.api.v2.customers[":id"].$patch({ param: { id: "7" }, json: { cooperative_sum: 12.5 } });
if (res.status === 200) {
  const customer = await res.json();
  const id: number = customer.id;
  const modified: string = customer.modified;
  console.log(id, modified);
}
const page = await api.api.v2.customers.$get({ query: { pagination: "cursor", limit: 100 } });
if (page.status === 200) {
  const body = await page.json();
  if (!("count" in body)) console.log(body.changes, body.next);
}
const some = await api.api.v2.customers.$get({ query: { id__in: "1,5,9" } });
if (some.status === 200) console.log(await some.json());
`;

const sh = (script: string, cwd: string) =>
  execFileSync("bash", ["-euo", "pipefail", "-c", script], {
    cwd,
    env: { ...process.env, CUSTOMER_API: clone },
    encoding: "utf8",
    stdio: "pipe",
  });

/** tsc's errors ("" when it compiles). */
function compile(project: string, files: Record<string, string>, options = ""): string {
  for (const file of readdirSync(project).filter((name) => name.endsWith(".ts"))) rmSync(path.join(project, file));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(project, name), text);
  try {
    sh(`${compileStep.trim()} ${options}`, project);
    return "";
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

let answers = "";
beforeAll(() => {
  execFileSync("git", ["clone", "-q", root, clone]);
  answers = everyAnswer(documentJson());
}, 60_000);

describe.each([
  ["a git dependency", "git+file://"],
  ["a packed package", "npm pack"],
])("the client as %s", (_, marker) => {
  const home = path.join(scratch, marker.replace(/\W+/g, "-"));
  const project = path.join(home, "my-integration");
  beforeAll(() => {
    mkdirSync(home);
    sh(route(marker), home);
  }, 240_000);

  it("installs the declarations and nothing the API itself runs on", () => {
    const installed = path.join(project, "node_modules/customer-api");
    expect(readdirSync(path.join(installed, "src/client")).sort()).toEqual(["index.d.ts", "openapi.d.ts"]);
    for (const dependency of ["drizzle-orm", "zod", "@hono/zod-validator", "wrangler"])
      expect(existsSync(path.join(project, "node_modules", dependency))).toBe(false);
    const config = readFileSync(path.join(project, "tsconfig.json"), "utf8");
    expect(config).toMatch(/"exactOptionalPropertyTypes": true/);
    expect(config).toMatch(/"module": "nodenext"/);
  });

  it("compiles the README's snippet as written, and every answer as the document gives it", () => {
    expect(snippet).toContain('import type { App } from "customer-api"');
    expect(compile(project, { "client.ts": snippet })).toBe("");
    expect(compile(project, { "answers.ts": answers, "user.ts": asAUserReadsThem })).toBe("");
    expect(compile(project, { "answers.ts": answers, "user.ts": asAUserReadsThem }, "--skipLibCheck false")).toBe("");
  });

  it("does not compile a body of the wrong type, an answer the document does not give, or a status it leaves out", () => {
    const wrongBody = snippet.replace('json: { note: "Meter moved" }', "json: { note: 123 }");
    expect(wrongBody).not.toBe(snippet);
    expect(compile(project, { "client.ts": wrongBody })).toMatch(/error TS2322/);
    const phantom = answers.replace(/(getCustomer\([\s\S]*?)case 200:/, "$1case 200: case 201:");
    expect(compile(project, { "answers.ts": phantom })).toMatch(/error TS2678/);
    const missing = answers.replace(/(updateCustomer\([\s\S]*?) case 401:/, "$1");
    expect(compile(project, { "answers.ts": missing })).toMatch(/error TS1360/);
  });
});
