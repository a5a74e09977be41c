/**
 * npm run build:types (run by `npm pack`): the declarations of the app's type for client projects,
 * dist/types/client.d.ts (src/client.ts), built by tsc, never written by hand. Their relative imports
 * get explicit `.js` paths, as Node's ESM resolution (a project's `tsc --init` default) requires.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root } from "./dev-server";

const out = path.join(root, "dist/types");
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.client.json"], {
  cwd: root,
  stdio: "inherit",
});

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? files(path.join(dir, name)) : [path.join(dir, name)]));
for (const file of files(out).filter((name) => name.endsWith(".d.ts"))) {
  const text = readFileSync(file, "utf8").replace(/((?:from |import\()")(\.{1,2}\/[^"]+)"/g, (_, before: string, specifier: string) => {
    const target = path.resolve(path.dirname(file), specifier);
    return `${before}${existsSync(`${target}.d.ts`) ? `${specifier}.js` : `${specifier}/index.js`}"`;
  });
  writeFileSync(file, text);
}
console.log(`Wrote ${path.relative(root, out)}/client.d.ts and the declarations it imports.`);
