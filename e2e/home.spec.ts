import { expect, test } from "@playwright/test";

test("the studio opens cross-origin isolated and links every stage", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /train market-signal models/i })).toBeVisible();
  // COOP/COEP from scripts/serve.mjs: needed for SharedArrayBuffer and threaded wasm.
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  for (const name of ["1 · Data", "2 · Dataset", "3 · Train", "4 · Results"]) {
    await expect(page.getByRole("navigation").getByRole("link", { name, exact: true })).toBeVisible();
  }
});
