/**
 * npm run deploy [-- --env staging]: the remote migrations of an environment, then its minified
 * Worker (source maps uploaded, so that a stack trace in the logs points at the source). Migrations
 * come first, so that new code never meets an old schema (docs/deploy.md).
 */
import { parseArgs } from "node:util";
import { run } from "./cli";
import { wrangler } from "./wrangler";

await run("deploy", () => {
  const { values } = parseArgs({ options: { env: { type: "string" } } });
  const env = values.env === undefined ? [] : ["--env", values.env];
  console.log(wrangler(["d1", "migrations", "apply", "DB", "--remote", ...env]).trim());
  console.log(wrangler(["deploy", "--minify", ...env]).trim());
});
