// BENCH_BASELINE=<commit>: the Worker of another commit served beside this one, so that both are
// measured in one run on the same machine, each load run alternating between the two.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { addMissingSecrets } from "../scripts/dev-vars";
import { root, step } from "./setup";

/**
 * A worktree of `commit` with this checkout's node_modules (the commits compared share their
 * dependencies) and local secrets of its own: a random value in .dev.vars for each secret its
 * wrangler.toml requires (their names change between commits: CURSOR_SECRET, SEALING_KEY_1, …).
 */
export function checkoutOf(commit: string) {
  step(`Checking out ${commit} beside this checkout`);
  const dir = mkdtempSync(path.join(tmpdir(), "customer-api-baseline-"));
  execFileSync("git", ["worktree", "add", "--detach", dir, commit], { cwd: root, stdio: "pipe" });
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  addMissingSecrets(path.join(dir, ".dev.vars"), dir);
  const label = execFileSync("git", ["log", "-1", "--format=%h %s", commit], { cwd: root, encoding: "utf8" }).trim();
  return {
    dir,
    label,
    remove: () => {
      execFileSync("git", ["worktree", "remove", "--force", dir], { cwd: root, stdio: "pipe" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
