import { expect, test } from "@playwright/test";
import { strToU8, zipSync } from "fflate";
import { storedCount } from "./helpers";

/** Binance dump rows (12 columns, no header) every `stepH` hours from 2023-01-01. */
function rows(n: number, stepH: number): string {
  const start = Date.UTC(2023, 0, 1);
  return Array.from({ length: n }, (_, i) => {
    const t = start + i * stepH * 3_600_000;
    const o = 100 + i;
    return [t, o, o + 2, o - 1, o + 1, 10, t + stepH * 3_600_000 - 1, 1000, 50, 5, 500, 0].join(",");
  }).join("\n");
}

// Issue 17 item 7: a ZIP's 4h entries were stored as 1h (or dropped as repeats), and ETH prices in
// a BTCUSDT archive were imported as BTCUSDT; item 10: the form's symbol overrode file names.
test("a ZIP of 1h and 4h entries is stored as two series, each reported; a conflicting one is refused by name", async ({
  page,
}) => {
  await page.goto("/data/");
  await page.getByRole("tab", { name: "Files (CSV / ZIP)" }).click();
  await expect(page.getByText("Symbol, for files whose names do not say it")).toBeVisible();
  const mixed = zipSync({
    "ABCUSDT-1h-2023-01.csv": strToU8(rows(48, 1)),
    "ABCUSDT-4h-2023-01.csv": strToU8(rows(12, 4)),
  });
  const conflict = zipSync({ "ETHUSDT-1h-2023-01.csv": strToU8(rows(24, 1)) });
  await page.getByTestId("file-input").setInputFiles([
    { name: "ABCUSDT-2023-01.zip", mimeType: "application/zip", buffer: Buffer.from(mixed) },
    { name: "XYZUSDT-1h-2023.zip", mimeType: "application/zip", buffer: Buffer.from(conflict) },
  ]);
  const outcomes = page.getByTestId("import-outcome");
  await expect(outcomes).toHaveCount(2, { timeout: 30_000 });
  await expect(outcomes.nth(0).locator("li")).toHaveText([
    /^ABCUSDT 1h: 48 candles added/,
    /^ABCUSDT 4h: 12 candles added/,
  ]);
  await expect(outcomes.nth(1)).toContainText("the entry's name says ETHUSDT but the archive's name says XYZUSDT");
  await expect.poll(() => storedCount(page, "file:ABCUSDT:1h")).toBe(48);
  await expect.poll(() => storedCount(page, "file:ABCUSDT:4h")).toBe(12);
  expect(await storedCount(page, "file:XYZUSDT:1h")).toBe(0);
  expect(await storedCount(page, "file:ETHUSDT:1h")).toBe(0);
});
