import { expect, test } from "@playwright/test";
import { STUDIO_URL } from "./ports";

test("the studio opens cross-origin isolated and links every stage", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /train market-signal models/i })).toBeVisible();
  // COOP/COEP from scripts/serve.mjs: needed for SharedArrayBuffer and threaded wasm.
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  for (const name of ["1 · Data", "2 · Dataset", "3 · Train", "4 · Results"]) {
    await expect(page.getByRole("navigation").getByRole("link", { name, exact: true })).toBeVisible();
  }
});

test("every page loads from the studio alone: no failed request, nothing fetched from elsewhere", async ({ page }) => {
  const failed: string[] = [];
  const foreign: string[] = [];
  page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
  // ERR_ABORTED: a link prefetch cut short by the next navigation, not a missing asset.
  page.on(
    "requestfailed",
    (r) => r.failure()?.errorText !== "net::ERR_ABORTED" && failed.push(`${r.failure()?.errorText} ${r.url()}`),
  );
  page.on(
    "request",
    (r) => !(r.url().startsWith(`${STUDIO_URL}/`) || /^(data|blob):/.test(r.url())) && foreign.push(r.url()),
  );
  for (const path of ["/", "/data/", "/dataset/", "/train/", "/results/", "/share/"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  expect(failed).toEqual([]);
  expect(foreign).toEqual([]);
});
