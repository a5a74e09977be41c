// Webhooks under load, for bench/run.ts: a receiver on this machine that accepts every delivery and
// notes when each entry arrived; subscriptions to it; how long after its write each entry arrives, and
// how fast a bulk import of 10,000 changes is delivered.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

type Arrival = { subscription: string; writtenAt: number; arrivedAt: number };

/** A receiver that answers 204 to everything, noting each entry's arrival (the entry's `at` is its write). */
export async function startReceiver() {
  const arrivals: Arrival[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const arrivedAt = Date.now();
      const { data } = JSON.parse(body) as { data: { results: { at: string }[] } };
      for (const entry of data.results) arrivals.push({ subscription: req.url!, writtenAt: Date.parse(entry.at), arrivedAt });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: (name: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/${name}`,
    arrivals,
    /** The entries that arrived since `from` (an index into `arrivals`) at subscriptions named `name…`, once `count` have, or after `timeoutMs`. */
    async until(from: number, name: string, count: number, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      const mine = () => arrivals.slice(from).filter((arrival) => arrival.subscription.startsWith(`/${name}`));
      while (mine().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      return mine();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Subscribes each key's consumer to the receiver, `each` subscriptions a key (at most 10). */
export async function subscribe(base: string, keys: string[], each: number, receiver: Receiver, prefix: string) {
  for (const [k, key] of keys.entries()) {
    for (let i = 0; i < each; i++) {
      const res = await fetch(`${base}/api/v2/webhooks/`, {
        method: "POST",
        headers: { Authorization: `Token ${key}`, "Content-Type": "application/json" },
        body: JSON.stringify({ url: receiver.url(`${prefix}-${k}-${i}`) }),
      });
      if (res.status !== 201) throw new Error(`subscribing: ${res.status} ${await res.text()}`);
    }
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

/** How long after its write each entry arrived, over every subscription: p50, p95, max (ms). */
export function latencies(arrivals: Arrival[]) {
  const sorted = arrivals.map(({ writtenAt, arrivedAt }) => arrivedAt - writtenAt).sort((a, b) => a - b);
  return { entries: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? 0 };
}

/** `count` PATCHes of random demo customers, `perSecond` a second, each waited for. */
export async function pacedWrites(base: string, key: string, count: number, perSecond: number, idMax: number) {
  for (let i = 0; i < count; i++) {
    const started = Date.now();
    const res = await fetch(`${base}/api/v2/customers/${1 + Math.floor(Math.random() * idMax)}/`, {
      method: "PATCH",
      headers: { Authorization: `Token ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ note: `Paced ${i}` }),
    });
    if (res.status !== 200) throw new Error(`a paced PATCH answered ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / perSecond - (Date.now() - started))));
  }
}

/** A bulk import: `batches` bulk PATCHes of 100 distinct customers each, one after the other. */
export async function bulkImport(base: string, key: string, batches: number, idMax: number) {
  for (let batch = 0; batch < batches; batch++) {
    const items = Array.from({ length: 100 }, (_, i) => ({ id: ((batch * 100 + i) % idMax) + 1, note: `Import ${batch}-${i}` }));
    const res = await fetch(`${base}/api/v2/customers/`, {
      method: "PATCH",
      headers: { Authorization: `Token ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify(items),
    });
    if (res.status !== 200) throw new Error(`a bulk PATCH answered ${res.status}`);
  }
}
