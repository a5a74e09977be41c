// npm run build:assets: the Worker's static assets (public/), generated, not committed: Swagger UI's
// files for the /docs page and the OpenAPI document (scripts/build-openapi.ts). A file is written only
// when its content changes: a running `wrangler dev` reloads on any write under public/, and a second
// `npm run dev` (another environment, a test) would otherwise restart the first.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root } from "./dev-server";

function writeIfChanged(file: string, content: Buffer) {
  const target = path.join(root, "public", file);
  if (existsSync(target) && readFileSync(target).equals(content)) return;
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
}

for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"]) {
  writeIfChanged(`docs/vendor/${file}`, readFileSync(path.join(root, "node_modules/swagger-ui-dist", file)));
}
// In a process of its own: it loads the Worker's code, whose types this TypeScript project does not load.
const document = execFileSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/build-openapi.ts"], {
  cwd: root,
});
writeIfChanged("api/v2/openapi.json", document);
