// `npm run dev` started for automation (the e2e tests, the /docs check, the DRF comparison): a free port, a database of its own.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export type DevServer = Awaited<ReturnType<typeof startDevServer>>;

/**
 * `npm run dev` on a database of its own, or on `persistTo` (a restart of an earlier server's
 * database), with more of its environment in `more` (DEV_VARS, SEALING_KEY_IN_USE) and its own
 * arguments in `args` (`--env staging`).
 */
export async function startDevServer(
  persistTo = mkdtempSync(path.join(tmpdir(), "customer-api-e2e-")),
  more: Record<string, string> = {},
  args: string[] = [],
) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // A debugger's port of its own too: servers started together would both try 9229.
  const inspector = await freePort();
  const env = { ...process.env, PORT: String(port), INSPECTOR_PORT: String(inspector), PERSIST_TO: persistTo, ...more };
  const server: ChildProcess = spawn("npm", ["run", "dev", "--", ...args], {
    cwd: root,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run dev did not start:\n${output}`)), 150_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      // Started when its banner is out, whose last line is the key command (it may come in a later chunk than wrangler's).
      if (output.includes(`Ready on http://127.0.0.1:${port}`) && /npm run consumer -- create.*\n/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout!.on("data", onData);
    server.stderr!.on("data", onData);
    server.on("exit", (code) => reject(new Error(`npm run dev exited with ${code}:\n${output}`)));
  });

  return {
    base,
    persistTo,
    /** What `npm run dev` printed until it was ready. */
    output,
    /** What `npm run dev` has printed so far. */
    log: () => output,
    /** The environment of a newcomer's second terminal: PERSIST_TO points at this server's database. */
    env,
    /** Stops the server and deletes its database, unless it is kept for a restart. */
    async stop({ keepDatabase = false } = {}) {
      if (server.exitCode === null && server.signalCode === null && server.pid) {
        const exited = new Promise((resolve) => server.once("exit", resolve));
        process.kill(-server.pid, "SIGTERM");
        await exited;
      }
      if (!keepDatabase) rmSync(persistTo, { recursive: true, force: true });
    },
    /** `npm run consumer -- …` against this server's database. */
    consumer: (...args: string[]) => execFileSync("npm", ["run", "-s", "consumer", "--", ...args], { cwd: root, env, encoding: "utf8" }),
    sql(query: string): Record<string, unknown>[] {
      const out = execFileSync(
        "npx",
        ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", persistTo, "--json", "--command", query],
        { cwd: root, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
      );
      return JSON.parse(out)[0].results;
    },
    /**
     * fetch on the server. The dev proxy may close idle keep-alive connections just as the client
     * reuses them ("other side closed"); such a failure is the client's, and the request is sent again
     * (a few times: the client's pool may hold several such connections).
     */
    async call(url: string, init?: RequestInit): Promise<Response> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fetch(url, init);
        } catch (error) {
          if (attempt === 3 || !String((error as Error).cause).includes("other side closed")) throw error;
        }
      }
    },
  };
}
