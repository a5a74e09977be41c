/**
 * npm run docs:check: uses /docs as a person would, in Debian's headless Chromium (driven by
 * playwright-core, which downloads no browser), with no network but this machine: the page renders
 * offline, lists the operations, its banner says to authorize with the key alone, takes the key alone
 * through "Authorize", and "Try it out" on "Read a customer" with id 7 answers 200 with customer 7.
 * Then it opens PATCH's "Try it out" and checks that the body it offers is the small example, not
 * every field. Leaves a screenshot in docs-check.png.
 * Needs: apt-get install chromium.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { root, startDevServer } from "./dev-server";

const CHROMIUM = "/usr/bin/chromium";
const OPERATIONS = [
  "List customers",
  "Create a customer",
  "Read a customer",
  "Update partial customer data",
  "Erase a customer (GDPR)",
  "The customer's audit trail",
];

function fail(message: string): never {
  console.error(`docs:check: ${message}`);
  process.exit(1);
}

async function main() {
  if (!existsSync(CHROMIUM)) fail("needs Debian's chromium: apt-get install chromium");
  const dev = await startDevServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // No route out but to this machine: a CDN the page depended on would fail to load.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--proxy-server=127.0.0.1:9",
      "--proxy-bypass-list=127.0.0.1",
    ],
  });
  try {
    const created = dev.consumer("create", "--name", "docs check", "--scopes", "customers:read,customers:write", "--gdpr", "normal");
    const key = created.trim().split("\n").at(-1)!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    await page.goto(`${dev.base}/docs`);
    for (const operation of OPERATIONS) {
      await page.getByText(operation, { exact: true }).first().waitFor({ timeout: 15_000 });
      console.log(`ok: lists "${operation}"`);
    }

    // The banner tells what the Authorize dialog takes: the key alone (an HTTP bearer scheme), which
    // is what is typed below; with "Token " before it Swagger would send "Bearer Token …" and get 401.
    const banner = (await page.locator("header").textContent()) ?? "";
    if (!/Authorize with your key alone/.test(banner.replace(/\s+/g, " ")))
      fail(`the banner does not say to authorize with the key alone: ${banner}`);
    console.log("ok: the banner says to authorize with the key alone");
    await page.locator("button.authorize").first().click();
    await page.locator(".auth-container input").first().fill(key);
    await page.locator(".auth-btn-wrapper button.authorize").click();
    await page.locator(".auth-btn-wrapper button.btn-done").click();
    console.log("ok: authorized with the key alone");

    const read = page.locator("#operations-customers-getCustomer");
    await read.locator(".opblock-summary").click();
    await read.locator("button.try-out__btn").click();
    await read.locator('tr[data-param-name="id"] input').fill("7");
    await read.locator("button.execute").click();
    const status = read.locator(".live-responses-table .response .response-col_status").first();
    await status.waitFor({ timeout: 15_000 });
    const code = ((await status.textContent()) ?? "").trim();
    const body = (await read.locator(".live-responses-table .response-col_description pre").first().textContent()) ?? "";
    if (code !== "200" || !body.includes('"customer_number": "C-100007"'))
      fail(`"Try it out" on GET /api/v2/customers/7/ answered ${code}: ${body.slice(0, 200)}`);
    console.log("ok: Try it out on Read a customer, id 7 → 200 with customer 7");

    const update = page.locator("#operations-customers-updateCustomer");
    await update.locator(".opblock-summary").click();
    await update.locator("button.try-out__btn").click();
    const offered = JSON.parse(await update.locator("textarea.body-param__text").inputValue());
    if (JSON.stringify(offered) !== JSON.stringify({ note: "Meter moved to the cellar" }))
      fail(`PATCH's "Try it out" offers ${JSON.stringify(offered)}`);
    console.log("ok: PATCH's Try it out offers the small example body");
    await page.screenshot({ path: path.join(root, "docs-check.png"), fullPage: false });
    console.log("The page works offline: authorize, try it out, execute (screenshot: docs-check.png).");
  } finally {
    await browser.close();
    await dev.stop();
  }
}

await main();
