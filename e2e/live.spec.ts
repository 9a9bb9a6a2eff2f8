import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import {
  buildDataset,
  fillCollectForm,
  generateSynthetic,
  idbRecords,
  mockControl,
  mockReset,
  setParam,
} from "./helpers";

/** Trains a forest-only run (fast) with `trees` trees of `depth`. */
async function trainForest(page: Page, trees: string, depth: string): Promise<void> {
  await page.goto("/train/");
  await page.getByLabel("train transformer").setChecked(false);
  await page.getByLabel("train lstm").setChecked(false);
  await setParam(page, "forest", "trees", trees);
  await setParam(page, "forest", "maxDepth", depth);
  await page.getByRole("button", { name: "Train", exact: true }).click();
  await expect(page.getByTestId("train-finished")).toBeVisible({ timeout: 240_000 });
}

test("a champion and a challenger replay the synthetic market after the data end: a signal per candle, outcomes at the horizon, a reload loses and duplicates nothing, the A/B record decides", async ({
  page,
}) => {
  test.setTimeout(600_000);
  page.on("pageerror", (e) => console.log("[pageerror]", e.message));
  await generateSynthetic(page, "2023-01-01", "2023-04-01");
  await buildDataset(page);
  await trainForest(page, "12", "8");
  await trainForest(page, "6", "3");
  // The same seeded market, a month longer: the candles after the dataset's end are out of time.
  await generateSynthetic(page, "2023-01-01", "2023-05-01");

  await page.goto("/signals/");
  const form = page.getByTestId("deploy-form");
  // "none" and the run that is not the champion; wait for the list to settle before choosing.
  await expect(form.getByLabel("challenger").locator("option")).toHaveCount(2);
  await form.getByLabel("challenger").selectOption({ index: 1 });
  await form.getByLabel("min outcomes").fill("30");
  await form.getByLabel("min days").fill("0");
  await form.getByLabel("alpha").fill("0.5");
  await expect(page.getByTestId("rules-in-words")).toContainText("at least 30 outcomes");
  await form.getByRole("button", { name: "Deploy" }).click();
  await expect(page.getByTestId("replay-banner")).toBeVisible();
  await expect(page.getByTestId("loop-status")).toContainText(/replay: \d+ of \d+ candles/, { timeout: 60_000 });

  // A reload in the middle of the replay: it resumes after the last candle it handled.
  await page.reload();
  await expect(page.getByTestId("loop-status")).toContainText("replay finished", { timeout: 300_000 });
  const signals = await idbRecords<{ openTime: number; outcome?: unknown; deploymentId: string }>(page, "signals");
  const times = signals.map((s) => s.openTime);
  expect(new Set(times).size).toBe(times.length);
  // Every hour of April (after the dataset's last row) has its signal, none missing.
  const sorted = [...times].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBe(3_600_000);
  expect(sorted.length).toBeGreaterThan(600);
  // Outcomes for all but the last `horizon` candles (their outcome candle is not stored yet).
  expect(signals.filter((s) => s.outcome).length).toBe(signals.length - 4);
  await expect(page.getByTestId("outcome-count")).toHaveText(String(signals.length - 4));
  await expect(page.getByTestId("current-signal")).toBeVisible();

  // The A/B record decided at least once, with the paired test's tally in words.
  await expect(page.getByTestId("ab-history").locator("li")).not.toHaveCount(1);
  await expect(page.getByTestId("ab-history")).toContainText(/only the challenger got right/);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download A/B summary" }).click();
  const summary = JSON.parse(readFileSync(await (await download).path(), "utf8"));
  expect(summary.replay).toBe(true);
  expect(typeof summary.championPerformance.accuracy).toBe("number");
  expect(typeof summary.championPerformance.sharpeRatio).toBe("number");
  expect(typeof summary.challengerActive).toBe("boolean");
  expect([0, 10, 50, 100]).toContain(summary.challengerTrafficPercentage);
  expect(summary.decisions.length).toBeGreaterThan(1);
  // The paired P&L gap on the shadowed candles, with its interval, on the page and in the file.
  expect(summary.pairedPnl.n).toBeGreaterThan(30);
  expect(summary.pairedPnl.interval[0]).toBeLessThanOrEqual(summary.pairedPnl.meanGap);
  await expect(page.getByTestId("paired-pnl")).toContainText(
    `on the ${summary.pairedPnl.n} candles both were resolved for`,
  );

  // A second reload after the end records nothing more.
  await page.reload();
  await expect(page.getByTestId("loop-status")).toContainText("replay finished", { timeout: 60_000 });
  expect((await idbRecords(page, "signals")).length).toBe(signals.length);
});

const H = 3_600_000;

test("live against the mock exchange: a champion signals each new closed candle as the clock advances, outcomes after the horizon, a reload loses and duplicates nothing", async ({
  page,
  request,
}) => {
  test.setTimeout(600_000);
  page.on("pageerror", (e) => console.log("[pageerror]", e.message));
  await mockReset(request);
  // The exchange's clock: just after midnight on 1 April 2023.
  const t0 = Date.UTC(2023, 3, 1, 0, 0, 5);
  await mockControl(request, { now: t0 });
  await page.goto("/data/");
  await fillCollectForm(page, {
    symbols: "BTCUSDT",
    start: "2023-01-01",
    end: "2023-04-01",
    intervals: ["15m", "1h", "4h"],
  });
  await page.getByRole("button", { name: "Collect", exact: true }).click();
  for (const iv of ["15m", "1h", "4h"])
    await expect(page.getByTestId(`collect-binance:BTCUSDT:${iv}`)).toHaveAttribute("data-status", "done", {
      timeout: 60_000,
    });
  await page.goto("/dataset/");
  const form = page.getByRole("form", { name: "Build dataset" });
  await expect(form.locator('select[name="source"]')).toContainText("BTCUSDT");
  await form.getByRole("button", { name: "Build dataset" }).click();
  await expect(page.getByTestId("quality-report")).toBeVisible({ timeout: 60_000 });
  await trainForest(page, "12", "8");

  // The page's clock follows the exchange's.
  await page.clock.install({ time: t0 + 1000 });
  await page.goto("/signals/");
  const deploy = page.getByTestId("deploy-form");
  await deploy.getByLabel("mode").selectOption("live");
  await deploy.getByRole("button", { name: "Deploy" }).click();
  await expect(page.getByTestId("loop-status")).toContainText("waiting", { timeout: 60_000 });
  const signals = () => idbRecords<{ openTime: number; outcome?: { exitClose: number } }>(page, "signals");
  // The newest closed candle when deployed: 31 March 23:00.
  await expect.poll(async () => (await signals()).map((s) => s.openTime)).toEqual([t0 - 5000 - H]);

  for (let k = 1; k <= 5; k++) {
    await mockControl(request, { now: t0 + k * H });
    await page.clock.fastForward(H);
    await expect.poll(async () => (await signals()).length, { timeout: 60_000 }).toBe(k + 1);
    if (k === 2) {
      // A reload in the middle: nothing lost, nothing recorded twice.
      await page.reload();
      await expect(page.getByTestId("loop-status")).toContainText("waiting", { timeout: 60_000 });
      expect((await signals()).length).toBe(k + 1);
    }
  }
  const all = await signals();
  expect(all.map((s) => s.openTime)).toEqual([0, 1, 2, 3, 4, 5].map((k) => t0 - 5000 - H + k * H));
  // Horizon 4, clock at 05:00: the 23:00 and 00:00 signals' outcome candles (03:00, 04:00) have
  // closed; the 01:00 signal's (05:00) has not.
  expect(all.filter((s) => s.outcome).map((s) => s.openTime)).toEqual([t0 - 5000 - H, t0 - 5000]);
  await expect(page.getByTestId("outcome-count")).toHaveText("2");
  await expect(page.getByTestId("current-signal")).toContainText("candle");
  await expect(page.getByTestId("replay-banner")).toHaveCount(0);
});
