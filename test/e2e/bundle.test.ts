import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { expect, it } from "vitest";

const MAX_GZIP_BYTES = 64 * 1024;

it("the production bundle (wrangler deploy --dry-run --minify) is at most 64 KiB gzipped", () => {
  const outdir = mkdtempSync(path.join(tmpdir(), "customer-api-bundle-"));
  try {
    execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--minify", "--outdir", outdir], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      stdio: "pipe",
    });
    const size = gzipSync(readFileSync(path.join(outdir, "index.js"))).length;
    expect(size).toBeLessThanOrEqual(MAX_GZIP_BYTES);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
