import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import {
  fillCollectForm,
  generateSynthetic,
  MOCK_URL,
  mockControl,
  mockReset,
  mockStats,
  storedCount,
} from "./helpers";
import { MOCK_API_KEYS } from "./mock/binance-server";

// 2023-01-01 .. 2023-03-01 (exclusive): 59 days.
const DAYS = 59;
const EXPECTED: Record<string, number> = { "15m": DAYS * 96, "1h": DAYS * 24, "4h": DAYS * 6 };

test.beforeEach(async ({ request }) => {
  await mockReset(request);
});

test("collects 2 symbols x 3 intervals from the mock, resumes after a reload, no duplicates", async ({
  page,
  request,
}) => {
  await page.goto("/data/");
  // Slow the mock so the reload lands mid-collection.
  await mockControl(request, { delayMs: 150 });
  await fillCollectForm(page, {
    symbols: "BTCUSDT, ETHUSDT",
    start: "2023-01-01",
    end: "2023-03-01",
    intervals: ["15m", "1h", "4h"],
  });
  await page.getByRole("button", { name: "Collect", exact: true }).click();
  // Wait until the first series has stored something, then reload in the middle.
  await expect
    .poll(async () => (await page.getByTestId("collect-binance:BTCUSDT:15m").getAttribute("data-status")) ?? "", {
      timeout: 30_000,
    })
    .toBe("running");
  await page.waitForTimeout(600);
  await page.reload();
  await mockControl(request, { delayMs: null });
  await page.getByRole("tab", { name: "Binance" }).click();
  await expect(page.getByTestId("resumable-jobs")).toBeVisible();
  await page.getByRole("button", { name: "Resume all" }).click();
  await expect(page.getByTestId("resumable-jobs")).toBeHidden({ timeout: 60_000 });
  // Series that had not started before the reload are collected with a fresh Collect.
  await fillCollectForm(page, {
    symbols: "BTCUSDT, ETHUSDT",
    start: "2023-01-01",
    end: "2023-03-01",
    intervals: ["15m", "1h", "4h"],
  });
  await page.getByRole("button", { name: "Collect", exact: true }).click();
  for (const sym of ["BTCUSDT", "ETHUSDT"]) {
    for (const iv of ["15m", "1h", "4h"]) {
      await expect(page.getByTestId(`collect-binance:${sym}:${iv}`)).toHaveAttribute("data-status", "done", {
        timeout: 60_000,
      });
    }
  }
  for (const sym of ["BTCUSDT", "ETHUSDT"]) {
    for (const iv of ["15m", "1h", "4h"]) {
      await expect.poll(() => storedCount(page, `binance:${sym}:${iv}`)).toBe(EXPECTED[iv]);
    }
  }
  // Collecting the same range again fetches nothing new.
  const before = await mockStats(request);
  await page.getByRole("button", { name: "Collect", exact: true }).click();
  await expect(page.getByTestId("collect-binance:ETHUSDT:4h")).toHaveAttribute("data-status", "done", {
    timeout: 60_000,
  });
  await expect(page.getByTestId("collect-binance:BTCUSDT:15m")).toContainText("0 new candles");
  const after = await mockStats(request);
  expect(JSON.stringify(after)).toContain("klines");
  void before;
});

test("a 429 storm is waited out and an invalid symbol gets its message", async ({ page, request }) => {
  await page.goto("/data/");
  await mockControl(request, { rateLimit: { count: 3, retryAfterS: 1 } });
  await fillCollectForm(page, { symbols: "BTCUSDT", start: "2023-05-01", end: "2023-05-11", intervals: ["1h"] });
  await page.getByRole("button", { name: "Collect", exact: true }).click();
  await expect(page.getByTestId("collect-binance:BTCUSDT:1h")).toHaveAttribute("data-status", "done", {
    timeout: 60_000,
  });
  await expect.poll(() => storedCount(page, "binance:BTCUSDT:1h")).toBeGreaterThanOrEqual(240);
  const stats = await mockStats(request);
  expect(JSON.stringify(stats)).toContain("429");

  await fillCollectForm(page, { symbols: "NOPEUSDT", start: "2023-05-01", end: "2023-05-11", intervals: ["1h"] });
  await page.getByRole("button", { name: "Collect", exact: true }).click();
  await expect(page.getByTestId("collect-binance:NOPEUSDT:1h")).toHaveAttribute("data-status", "error", {
    timeout: 30_000,
  });
  await expect(page.getByTestId("collect-binance:NOPEUSDT:1h")).toContainText(/invalid symbol|unknown symbol/i);

  // Reversed dates never reach the network.
  await fillCollectForm(page, { symbols: "BTCUSDT", start: "2023-05-11", end: "2023-05-01", intervals: ["1h"] });
  await page.getByRole("button", { name: "Collect", exact: true }).click();
  await expect(page.getByTestId("collect-errors")).toContainText("start date must be before the end date");
});

test("imports a Binance dump CSV and reports a malformed file by name and line", async ({ page }) => {
  await page.goto("/data/");
  await page.getByRole("tab", { name: "Files (CSV / ZIP)" }).click();
  const start = Date.UTC(2023, 0, 1);
  const rows = Array.from({ length: 48 }, (_, i) => {
    const t = start + i * 3_600_000;
    const o = 100 + i;
    return [t, o, o + 2, o - 1, o + 1, 10, t + 3_599_999, 1000, 50, 5, 500, 0].join(",");
  });
  await page.getByTestId("file-input").setInputFiles([
    { name: "ABCUSDT-1h-2023-01.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n")) },
    {
      name: "BADUSDT-1h-2023-01.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`${rows[0]}\n${rows[1].replace(/^(\d+),\d+/, "$1,abc")}\n`),
    },
  ]);
  const outcomes = page.getByTestId("import-outcome");
  await expect(outcomes).toHaveCount(2, { timeout: 30_000 });
  await expect(outcomes.nth(0)).toContainText("48 candles added");
  await expect(outcomes.nth(1)).toContainText("BADUSDT-1h-2023-01.csv");
  await expect(outcomes.nth(1)).toContainText("line 2");
  await expect.poll(() => storedCount(page, "file:ABCUSDT:1h")).toBe(48);
});

test("imports funding and Fear & Greed files, fetches keyed data with a key, and forgets the key", async ({
  page,
  request,
}) => {
  await mockReset(request);
  await page.goto("/data/");
  const fixture = (name: string) => ({
    name,
    mimeType: "text/csv",
    buffer: readFileSync(path.join(__dirname, "../test/alt", name)),
  });
  const input = page.getByTestId("alt-file-input");
  await input.setInputFiles([
    fixture("BTCUSDT-funding-rate.csv"),
    fixture("fear-greed-index.csv"),
    { name: "bad-fng.csv", mimeType: "text/csv", buffer: Buffer.from("date,fng_value\n2024-01-01,40\n2024-01-02,x\n") },
  ]);
  const outcomes = page.getByTestId("alt-import-outcome");
  await expect(outcomes).toHaveCount(3, { timeout: 30_000 });
  await expect(outcomes.nth(0)).toContainText("8 funding rates of BTCUSDT added; 1 gap");
  await expect(outcomes.nth(1)).toContainText("9 Fear & Greed index added; 1 gap");
  await expect(outcomes.nth(2)).toContainText('bad-fng.csv, line 3: the value "x" is not a number');
  await expect(page.getByTestId("alt-funding:BTCUSDT")).toHaveAttribute("data-count", "8");
  await expect(page.getByTestId("alt-status-funding")).toContainText("real");
  await expect(page.getByTestId("alt-status-onchain")).toContainText("fallback");
  await expect(page.getByTestId("alt-status-onchain")).toContainText("no key");
  // The same file again adds nothing.
  await input.setInputFiles([fixture("BTCUSDT-funding-rate.csv")]);
  await expect(outcomes.first()).toContainText("0 funding rates of BTCUSDT added; 8 already stored");

  const glassnode = page.getByTestId("key-glassnode");
  await glassnode.locator('input[name="glassnodeUrl"]').fill(MOCK_URL);
  await glassnode.locator('input[name="glassnodeKey"]').fill(MOCK_API_KEYS.glassnode);
  await glassnode.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("key-state-glassnode")).toContainText("key set");
  await expect(page.getByTestId("alt-status-onchain")).toContainText("key set");

  const form = page.getByRole("form", { name: "Fetch alternative data" });
  await form.locator('input[name="altStart"]').fill("2024-01-01");
  await form.locator('input[name="altEnd"]').fill("2024-01-11");
  await form.locator('input[name="altFuturesUrl"]').fill(MOCK_URL);
  await form.locator('input[name="altFngUrl"]').fill(MOCK_URL);
  await form.getByRole("button", { name: "Fetch missing alternative data" }).click();
  const fetched = page.getByTestId("alt-fetch-outcome");
  await expect(fetched).toHaveCount(4, { timeout: 30_000 });
  await expect(fetched.filter({ hasText: "On-chain (Glassnode): 11 values added" })).toHaveCount(1);
  await expect(fetched.filter({ hasText: "Social sentiment (LunarCrush): no key entered" })).toHaveCount(1);
  await expect(page.getByTestId("alt-onchain:BTCUSDT")).toHaveAttribute("data-count", "11");
  const stats = await mockStats(request);
  expect((stats.byPathStatus as Record<string, number>)["/v1/metrics/market/mvrv_z_score 200"]).toBe(1);

  await glassnode.getByRole("button", { name: "Forget key" }).click();
  await expect(page.getByTestId("key-state-glassnode")).toContainText("no key");
  await page.reload();
  await expect(page.getByTestId("key-state-glassnode")).toContainText("no key");
  const keys = await page.evaluate(
    () =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open("trademate-studio");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction("settings").objectStore("settings").get("studio");
          get.onsuccess = () => resolve(get.result?.value?.apiKeys);
          get.onerror = () => reject(get.error);
        };
      }),
  );
  expect(keys).toEqual({});
});

test("generates the synthetic market, labelled synthetic", async ({ page }) => {
  await generateSynthetic(page);
  await expect(page.getByTestId("series-synthetic:SYNTH:1h")).toContainText("SYNTHETIC");
  expect(await storedCount(page, "synthetic:SYNTH:1h")).toBe(181 * 24);
});

test("the Data page shows the browser storage used and whether it is persistent, asked for at the first store", async ({
  page,
}) => {
  await generateSynthetic(page, "2023-01-01", "2023-02-01");
  const status = page.getByTestId("storage-status");
  await expect(status).toContainText(/MB used/);
  await expect(status).toContainText(/persistent/i);
  // Asked once: the answer is remembered in the studio's settings.
  const asked = await page.evaluate(
    () =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open("trademate-studio");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction("settings").objectStore("settings").get("studio");
          get.onsuccess = () => resolve(get.result?.value?.persistAsked === true);
          get.onerror = () => reject(get.error);
        };
      }),
  );
  expect(asked).toBe(true);
});
