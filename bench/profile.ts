/**
 * npm run bench:profile: where a PATCH's CPU time goes. Samples the Worker's isolate with the V8
 * inspector while wrk PATCHes the unminified production build, then prints the self time by
 * library (hono, drizzle, zod, our src/…) and the hottest functions.
 * Env: PROFILE_DURATION (default 8s), PROFILE_CONNECTIONS (default 8), PROFILE_MODE (patch, or bulk: 100 items a request).
 */
import { rmSync } from "node:fs";
import WebSocket from "ws";
import { ensureWrk, load, prepareDatabase, startPreview, step } from "./setup";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const port = 8790 + Math.floor(Math.random() * 9);
const inspectorPort = 9300 + Math.floor(Math.random() * 90);

function inspect(socket: WebSocket) {
  let next = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data));
    pending.get(message.id)?.(message.result);
  });
  return <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      pending.set(++next, resolve as (result: unknown) => void);
      socket.send(JSON.stringify({ id: next, method, params }));
    });
}

/** Which part of the bundle a frame belongs to, from the bundle's module comments. */
function owner(frame: Node["callFrame"], bundle: string[]): string {
  if (!frame.url) return frame.functionName.startsWith("(") ? frame.functionName : "(runtime)";
  for (let line = frame.lineNumber; line >= 0; line--) {
    const source = /^\/\/ (node_modules\/(@[^/]+\/[^/]+|[^/]+)|src\/[^ ]+)/.exec(bundle[line] ?? "");
    if (source) return source[2] ?? source[1]!;
  }
  return frame.url;
}

ensureWrk();
const { persistTo, key } = await prepareDatabase();
const { server } = await startPreview(port, {
  PERSIST_TO: persistTo,
  LOG_FILE: "/dev/null",
  PREVIEW_MINIFY: "0",
  INSPECTOR_PORT: String(inspectorPort),
});
try {
  load(port, "warm-up", "patch", key, 8, "2s");
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    webSocketDebuggerUrl: string;
    title: string;
  }[];
  const target = targets.find((t) => t.title.includes("core:user")) ?? targets[0]!;
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve) => socket.once("open", resolve));
  const send = inspect(socket);
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 100 });
  await send("Profiler.start");
  step("Profiling");
  const mode = process.env.PROFILE_MODE === "bulk" ? "bulk" : "patch";
  load(port, mode, mode, key, Number(process.env.PROFILE_CONNECTIONS ?? 8), process.env.PROFILE_DURATION ?? "8s");
  const { profile } = await send<{ profile: Profile }>("Profiler.stop");
  socket.close();

  const { readFileSync } = await import("node:fs");
  const bundle = readFileSync(new URL("../dist/index.js", import.meta.url), "utf8").split("\n");
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, time] of self) {
    const frame = byNode.get(id)!.callFrame;
    const who = owner(frame, bundle);
    byOwner.set(who, (byOwner.get(who) ?? 0) + time);
    const name = `${frame.functionName || "(anonymous)"} [${who}:${frame.lineNumber + 1}]`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, time]) => `  ${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`);
  step("Self time by part (the Worker's isolate; (idle) is time spent waiting, D1 included)");
  console.log(top(byOwner, 20).join("\n"));
  step("Hottest functions");
  console.log(top(byFunction, 30).join("\n"));
} finally {
  server.kill("SIGTERM");
  rmSync(persistTo, { recursive: true, force: true });
}
