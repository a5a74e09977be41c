// Local secrets (.dev.vars, which git does not hold): a random value for each secret that a
// wrangler.toml requires. `npm run dev` fills this checkout's; the benchmark fills another commit's,
// whose secrets may have other names (CURSOR_SECRET before SEALING_KEY_1 and SEALING_KEY_2).
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** The secrets the top-level `[secrets] required` of the wrangler.toml in `checkout` names. */
function requiredSecrets(checkout: string): string[] {
  const config = readFileSync(path.join(checkout, "wrangler.toml"), "utf8");
  const required = /^\[secrets\]\nrequired = \[([^\]]*)\]/m.exec(config)?.[1] ?? "";
  return [...required.matchAll(/"(\w+)"/g)].map(([, name]) => name!);
}

/** Appends to `file` a random value (32 bytes, hex) for each secret `checkout` requires that it lacks. */
export function addMissingSecrets(file: string, checkout: string) {
  const present = existsSync(file) ? readFileSync(file, "utf8") : "";
  for (const name of requiredSecrets(checkout)) {
    if (!new RegExp(`^${name}=`, "m").test(present)) appendFileSync(file, `${name}="${randomBytes(32).toString("hex")}"\n`);
  }
}
