/**
 * npm run conformance:drf — sends the same PATCH and POST bodies to the DRF reference (Django REST
 * Framework 3.14 over the customer model, run with Debian's Python packages) and to this Worker
 * (`npm run dev` on a fresh database), compares status and JSON body, prints each class of difference
 * once with an example, and exits 1 on a difference that docs/decisions.md does not list.
 *
 *   DRF_SPEC_DIR=<the reference's folder (setup.sh, serve.sh)> npm run conformance:drf
 *
 * Not run in CI: it needs Debian's python3-django, python3-djangorestframework and gunicorn (installed
 * here when missing and running as root). Every difference it found is a test in the normal suite.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CASES, type Case } from "./conformance-cases";
import { root, startDevServer } from "./dev-server";

const peerDir = path.resolve(root, process.env.DRF_SPEC_DIR ?? "");
const PEER_PORT = 18090 + Math.floor(Math.random() * 500);
const PEER_TOKEN = "drf-spec-peer-token-00000000000000000000";

/** Differences we chose on purpose: the class of case, and the heading in docs/decisions.md that gives the reason. */
const KNOWN: Record<string, string> = {
  "reference: a non-integral float": "A fraction for a reference",
  "reference: beyond SQLite's integers": "Numbers DRF cannot store",
  "string: a lone surrogate named in an error": "Lone surrogates in error messages",
  "customer_number: a second blank number": "A second blank customer number",
  "customer_number: given up": "A customer number given up",
  "decimal: negative zero": "Negative zero amounts",
  "json: nested too deep": "Nesting deeper than 512 levels",
  "json: a truncated UTF-8 sequence at the end": "A truncated UTF-8 sequence at the end of the body",
  "quirk: non-ASCII digits": "Python quirks we refuse",
  "quirk: underscores in numbers": "Python quirks we refuse",
  "quirk: a date followed by a newline": "Python quirks we refuse",
  "quirk: Unicode case folding in e-mail addresses": "Python quirks we refuse",
};

function log(message: string) {
  process.stderr.write(`${message}\n`);
}

function ensurePeerPackages() {
  const check = () => spawnSync("/usr/bin/python3", ["-c", "import django, rest_framework"], { stdio: "ignore" }).status === 0;
  if (check() && existsSync("/usr/bin/gunicorn")) return;
  log("Installing Debian's python3-django, python3-djangorestframework and gunicorn …");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "python3-django", "python3-djangorestframework", "gunicorn"], { stdio: "inherit" });
}

function startPeer(dataDir: string): ChildProcess {
  const env = { ...process.env, PEER_DATA_DIR: dataDir, PYTHONDONTWRITEBYTECODE: "1", RESET: "1" };
  execFileSync("bash", [path.join(peerDir, "setup.sh")], { env, stdio: ["ignore", "ignore", "inherit"] });
  return spawn("bash", [path.join(peerDir, "serve.sh"), String(PEER_PORT)], { env, detached: true, stdio: "ignore" });
}

async function waitFor(url: string) {
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`${url} did not start`);
}

type Answer = { status: number; body: unknown };

async function send(base: string, token: string, c: Case, id: number): Promise<Answer> {
  const url = c.method === "POST" ? `${base}/api/v2/customers/` : `${base}/api/v2/customers/${id}/`;
  const res = await fetch(url, {
    method: c.method,
    headers: { Authorization: `Token ${token}`, "Content-Type": "application/json" },
    body: c.body,
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = `<${text.length} characters of ${res.headers.get("Content-Type")}>`;
  }
  // What the two cannot share: the time of the change, and the id a POST got.
  if (body && typeof body === "object" && "modified" in body) {
    const { modified: _modified, ...rest } = body as Record<string, unknown>;
    body = c.method === "POST" ? { ...rest, id: "<new>" } : rest;
  }
  return { status: res.status, body };
}

/** The two answers, or only their differing fields when both are objects with the same status. */
function differences(theirs: Answer, ours: Answer): [string, string] {
  const objects = [theirs.body, ours.body].every((body) => body !== null && typeof body === "object" && !Array.isArray(body));
  if (theirs.status !== ours.status || !objects) return [JSON.stringify(theirs).slice(0, 300), JSON.stringify(ours).slice(0, 300)];
  const a = theirs.body as Record<string, unknown>;
  const b = ours.body as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  const pick = (body: Record<string, unknown>) => JSON.stringify(Object.fromEntries(keys.map((k) => [k, body[k]])));
  return [`${theirs.status} ${pick(a)}`, `${ours.status} ${pick(b)}`];
}

async function main() {
  if (!existsSync(path.join(peerDir, "setup.sh"))) {
    log(`The DRF reference is not at ${peerDir}: set DRF_SPEC_DIR to its folder.`);
    process.exit(2);
  }
  ensurePeerPackages();
  const peerData = mkdtempSync(path.join(tmpdir(), "drf-spec-"));
  log("Starting the DRF reference and the Worker (npm run dev) …");
  const peer = startPeer(peerData);
  const worker = await startDevServer();
  const stop = async () => {
    if (peer.pid) process.kill(-peer.pid, "SIGTERM");
    rmSync(peerData, { recursive: true, force: true });
    await worker.stop();
  };
  try {
    await waitFor(`http://127.0.0.1:${PEER_PORT}/api/v2/customers/1/`);
    const created = worker.consumer(
      "create",
      "--name",
      "conformance",
      "--scopes",
      "customers:read,customers:write",
      "--gdpr",
      "extended",
      "--tier",
      "unlimited",
    );
    const ourKey = created.trim().split("\n").at(-1)!;

    const decisions = readFileSync(path.join(root, "docs/decisions.md"), "utf8");
    const classes = new Map<string, { count: number; example: string }>();
    let compared = 0;
    // A customer whose two copies came apart (a difference was found on it) takes no further case.
    const tainted = new Set<number>();
    let next = 0;
    for (const [index, c] of CASES.entries()) {
      do next = (next % 500) + 1;
      while (tainted.has(next) && tainted.size < 500);
      const id = next;
      const [theirs, ours] = await Promise.all([
        send(`http://127.0.0.1:${PEER_PORT}`, PEER_TOKEN, c, id),
        send(worker.base, ourKey, c, id),
      ]);
      compared++;
      if (index % 200 === 0) log(`… ${index} of ${CASES.length}`);
      if (JSON.stringify(theirs) === JSON.stringify(ours)) continue;
      if (c.method === "PATCH") tainted.add(id);
      const key = c.class;
      const shown = typeof c.body === "string" ? c.body : Buffer.from(c.body).toString("latin1");
      const [drf, mine] = differences(theirs, ours);
      const entry = classes.get(key) ?? {
        count: 0,
        example: `${c.method} ${JSON.stringify(shown.slice(0, 160))}\n    DRF:  ${drf}\n    ours: ${mine}`,
      };
      entry.count++;
      classes.set(key, entry);
    }

    let undocumented = 0;
    for (const [key, { count, example }] of classes) {
      const reason = KNOWN[key.replace(/^POST /, "")];
      const documented = reason !== undefined && decisions.includes(reason);
      if (!documented) undocumented++;
      console.log(
        `${documented ? "documented" : "UNDOCUMENTED"} · ${key} · ${count} case(s)${documented ? ` · docs/decisions.md: ${reason}` : ""}\n    ${example}`,
      );
    }
    console.log(`\n${compared} bodies sent to both; ${classes.size} classes of difference, ${undocumented} undocumented.`);
    process.exitCode = undocumented ? 1 : 0;
  } finally {
    await stop();
  }
}

await main();
