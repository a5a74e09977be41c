// A real webhook receiver on this machine, for the Workers-pool tests (vitest globalSetup): what an
// integrator runs, in Node, verifying each delivery with the `standardwebhooks` library. The tests
// tell it, per name, the secrets to verify with and how to answer; they read back what it received.
//   PUT  /control/<name>   {"secrets": ["whsec_…"], "answers": [500, "hang", "redirect", 204, …]}
//   POST /hooks/<name>     a delivery: recorded, verified, answered with the next answer (204 after them)
//   GET  /received/<name>  every request it got, in order
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import type { TestProject } from "vitest/node";

type Answer = number | "hang" | "redirect";
type Received = { at: number; headers: Record<string, string>; body: string; verified: boolean; answered: Answer };
type Hook = { secrets: string[]; answers: Answer[]; received: Received[] };

const hooks = new Map<string, Hook>();
const hookOf = (name: string) => hooks.get(name) ?? hooks.set(name, { secrets: [], answers: [], received: [] }).get(name)!;

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => resolve(body));
  });

/** As a receiver does it: the library verifies the signature and the timestamp, with any of the secrets. */
function verified(secrets: string[], body: string, headers: Record<string, string>) {
  return secrets.some((secret) => {
    try {
      new Webhook(secret).verify(body, headers);
      return true;
    } catch {
      return false;
    }
  });
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const [, kind, name = ""] = req.url!.split("/");
  const hook = hookOf(name);
  const body = await read(req);
  if (kind === "control") {
    Object.assign(hook, JSON.parse(body));
    return res.writeHead(204).end();
  }
  if (kind === "received") return res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(hook.received));
  const headers = Object.fromEntries(Object.entries(req.headers).map(([key, value]) => [key, String(value)]));
  const answered = hook.answers.shift() ?? 204;
  hook.received.push({ at: Date.now(), headers, body, verified: verified(hook.secrets, body, headers), answered });
  if (answered === "hang") return setTimeout(() => res.writeHead(204).end(), 12_000);
  if (answered === "redirect") return res.writeHead(307, { Location: `/hooks/${name}-redirected` }).end();
  res.writeHead(answered).end("this answer is never read");
}

export default async function setup(project: TestProject) {
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("receiver", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
