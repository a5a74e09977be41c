import { exports } from "cloudflare:workers";
import { hc } from "hono/client";
import { expect, it } from "vitest";
import type { App } from "../src/client";
import { createConsumer, createCustomer } from "./helpers";

// The typed client of the README: Hono's hc over the app's own type, here on the Worker itself.
it("the typed client updates and reads a customer", async () => {
  const { key } = await createConsumer();
  const id = String(await createCustomer());
  const client = hc<App>("http://api.test", {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(new Request(input, init)),
    headers: { Authorization: `Token ${key}` },
  });

  const updated = await client.api.v2.customers[":id"].$patch({ param: { id }, json: { note: "from the typed client" } });
  if (updated.status !== 200) throw new Error(`PATCH answered ${updated.status}`);
  const customer = await updated.json(); // typed: the customer's fields
  expect(customer.note).toBe("from the typed client");

  const read = await client.api.v2.customers[":id"].$get({ param: { id } });
  if (read.status !== 200) throw new Error(`GET answered ${read.status}`);
  expect((await read.json()).note).toBe("from the typed client");

  const page = await client.api.v2.customers.$get({ query: { limit: "1" } });
  if (page.status !== 200) throw new Error(`list answered ${page.status}`);
  const body = await page.json(); // typed: a counted page, or a cursor page (`pagination=cursor`)
  expect("count" in body && body.count).toBeGreaterThan(0);
});
