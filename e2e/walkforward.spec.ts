import { expect, test, type Page } from "@playwright/test";
import { buildDataset, generateSynthetic, idbRecords, setParam } from "./helpers";

interface StoredRun {
  id: string;
  status: string;
  config: { walk?: { spec: { cadence: string; walkMonths: number } } };
}
interface StoredModel {
  runId: string;
  name: string;
  createdAt: number;
}

function logPage(page: Page) {
  page.on("pageerror", (e) => console.log("[pageerror]", e.message));
  page.on("console", (m) => m.type() === "error" && console.log("[page error]", m.text().slice(0, 300)));
}

const foldModels = async (page: Page) => (await idbRecords<StoredModel>(page, "models")).map((m) => m.name).sort();

test("a 3-fold walk-forward run: per-fold chart, pooled table with intervals, a reload mid-walk resumes at the fold in progress", async ({
  page,
}) => {
  test.setTimeout(420_000);
  logPage(page);
  // Dec 1 to Feb 22 (1h base): weekly folds over February are Feb 1-8, 8-15 and 15-22.
  await generateSynthetic(page, "2022-12-01", "2023-02-22");
  await buildDataset(page);

  await page.goto("/train/");
  await page.locator('select[name="backend"]').selectOption("wasm");
  await page.getByLabel("train transformer", { exact: true }).setChecked(false);
  // A small LSTM with enough epochs that a fold takes a few seconds (the reload must land mid-walk).
  await setParam(page, "lstm", "epochs", "8");
  await setParam(page, "lstm", "patience", "100");
  await setParam(page, "lstm", "batchSize", "64");
  await setParam(page, "lstm", "units", "8");
  await setParam(page, "lstm", "layers", "1");
  await setParam(page, "lstm", "patch", "24");
  await setParam(page, "forest", "trees", "8");
  await setParam(page, "forest", "maxDepth", "4");
  await page.locator('select[name="evaluation"]').selectOption("walk");
  await setParam(page, "walk", "cadence", "weekly");
  await setParam(page, "walk", "walkMonths", "1");
  await expect(page.getByTestId("params-walk-issues")).toHaveCount(0);
  await page.getByRole("button", { name: "Train", exact: true }).click();

  // Fold progress with its spans, then fold 1's two models stored: reload while fold 2 trains.
  await expect(page.getByTestId("walk-progress-fold")).toContainText("Fold 1 of 3", { timeout: 60_000 });
  await expect(page.getByTestId("walk-progress")).toContainText("walk");
  await expect
    .poll(async () => (await foldModels(page)).filter((n) => n.startsWith("fold1/")).length, {
      timeout: 180_000,
      intervals: [100],
    })
    .toBe(2);
  await expect(page.getByTestId("walk-progress-fold")).toContainText("Fold 2 of 3");
  const fold1Before = (await idbRecords<StoredModel>(page, "models")).filter((m) => m.name.startsWith("fold1/"));
  await page.reload();

  const runs = await idbRecords<StoredRun>(page, "runs");
  expect(runs.map((r) => r.status)).toEqual(["running"]);
  expect(runs[0].config.walk?.spec).toMatchObject({ cadence: "weekly", walkMonths: 1 });
  const left = await foldModels(page);
  expect(left).toEqual(expect.arrayContaining(["fold1/forest", "fold1/lstm"]));
  expect(left, "the reload must land before the last fold").not.toContain("fold3/forest");

  const list = page.getByTestId("resumable-runs");
  await expect(list).toContainText("walk-forward: resumes at the fold in progress");
  // Record every fold line the page shows from now on.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { foldsSeen: string[] }).foldsSeen = seen;
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="walk-progress-fold"]')?.textContent ?? "";
      if (t && seen[seen.length - 1] !== t) seen.push(t);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await list.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("train-finished")).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId("train-error")).toHaveCount(0);

  // Fold 1 was read back, never retrained: the same records, and the page said so.
  const seen = await page.evaluate(() => (window as unknown as { foldsSeen: string[] }).foldsSeen);
  const fold1Lines = seen.filter((t) => t.includes("Fold 1 of 3"));
  expect(fold1Lines.length, seen.join(" | ")).toBeGreaterThan(0);
  for (const t of fold1Lines) expect(t).toContain("read back from storage");
  const after = await idbRecords<StoredModel>(page, "models");
  for (const m of fold1Before)
    expect(after.find((x) => x.name === m.name)?.createdAt, `${m.name} not retrained`).toBe(m.createdAt);
  expect(after.map((m) => m.name).sort()).toEqual(
    [1, 2, 3].flatMap((k) => [`fold${k}/forest`, `fold${k}/lstm`]).sort(),
  );
  expect((await idbRecords<StoredRun>(page, "runs")).map((r) => r.status)).toEqual(["done"]);

  // The dashboard: per-fold charts and the fold table, equity with retrain markers, the pooled table with intervals.
  await page.getByTestId("train-finished").getByRole("link", { name: "Open the results" }).click();
  await expect(page.getByTestId("walk-panel")).toBeVisible();
  for (const metric of ["accuracy", "balancedAccuracy", "sharpe"])
    await expect(page.getByTestId(`walk-chart-${metric}`).locator(".recharts-line")).not.toHaveCount(0);
  await expect(page.getByTestId("walk-fold-table").locator("tbody tr")).toHaveCount(3);
  await expect(page.getByTestId("walk-equity").locator(".recharts-reference-line")).toHaveCount(3);
  await expect(page.getByTestId("comparison-table")).toBeVisible();
  for (const id of ["lstm", "forest", "ensemble", "majority"])
    await expect(page.getByTestId(`metrics-row-${id}`)).toBeVisible();
  await expect(page.getByTestId("accuracy-ci-lstm")).toHaveText(/\d+\.\d–\d+\.\d/);
  await expect(page.getByTestId("walk-export-note")).toBeVisible();
});
