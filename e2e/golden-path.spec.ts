import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { strFromU8, unzipSync } from "fflate";
import { buildDataset, generateSynthetic, setParam } from "./helpers";
import { STUDIO_URL } from "./ports";

test("golden path on the synthetic market: collect, build, train all three, dashboard matches evaluation_metrics.json, bundle re-imported on a second machine, share link opens read-only", async ({
  page,
  browser,
}) => {
  test.setTimeout(600_000);
  const started = Date.now();
  page.on("console", (m) =>
    console.log(`[page +${((Date.now() - started) / 1000).toFixed(1)}s ${m.type()}]`, m.text().slice(0, 300)),
  );
  page.on("pageerror", (e) => console.log("[pageerror]", e.message));
  await generateSynthetic(page, "2023-01-01", "2023-05-01");

  await page.goto("/dataset/");
  const form = page.getByRole("form", { name: "Build dataset" });
  await expect(form.locator('select[name="source"]')).toContainText("SYNTH");
  await expect(page.getByTestId("class-balance")).toBeVisible();
  await form.getByRole("button", { name: "Build dataset" }).click();
  await expect(page.getByTestId("quality-report")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("dataset-shape")).toContainText("x 120 x 42");

  await page.goto("/train/");
  await page.locator('select[name="backend"]').selectOption("wasm");
  for (const m of ["transformer", "lstm"]) {
    await setParam(page, m, "epochs", "2");
    await setParam(page, m, "batchSize", "256");
  }
  await setParam(page, "transformer", "dModel", "16");
  await setParam(page, "transformer", "ff", "32");
  await setParam(page, "transformer", "blocks", "1");
  await setParam(page, "lstm", "units", "16");
  await setParam(page, "lstm", "layers", "1");
  await setParam(page, "forest", "trees", "12");
  await setParam(page, "forest", "maxDepth", "8");
  await page.getByRole("button", { name: "Train", exact: true }).click();
  await expect(page.getByTestId("status-transformer")).toHaveText("training", { timeout: 60_000 });
  // The page answers clicks while the worker trains.
  const t0 = Date.now();
  await page.getByTestId("help-toggle").click();
  await expect(page.getByTestId("help-text")).toBeVisible();
  expect(Date.now() - t0).toBeLessThan(5_000);
  await expect(page.getByTestId("train-finished")).toBeVisible({ timeout: 480_000 });
  await expect(page.getByTestId("curve-transformer")).toBeVisible();

  await page.getByRole("link", { name: "Open the results" }).click();
  await expect(page.getByTestId("run-dashboard")).toBeVisible();
  for (const id of [
    "transformer",
    "lstm",
    "forest",
    "ensemble",
    "ensemble-learned",
    "majority",
    "class_prior",
    "previous_label",
  ]) {
    await expect(page.getByTestId(`metrics-row-${id}`)).toBeVisible();
  }
  for (const s of ["confusion-section", "backtest-section", "importance-section", "curves-section"])
    await expect(page.getByTestId(s)).toBeVisible();
  await expect(page.getByTestId("synthetic-badge")).toBeVisible();
  // The first thing said: whether any model beats the trivial baselines, paired and corrected.
  await expect(page.getByTestId("verdict-accuracy")).toContainText(
    /the best baseline on accuracy \(.*\): .*Paired block bootstrap of the [\d,]+ test samples \(blocks of [\d,]+ candles on average, [\d,]+ resamples\); intervals corrected for 5 comparisons \(Holm\)/,
  );
  // Every figure of the table has its interval.
  await expect(page.getByTestId("accuracy-ci-ensemble")).toHaveText(/^\(\d+\.\d–\d+\.\d\)$/);
  await expect(page.getByTestId("verdict-balancedAccuracy")).toContainText("the best baseline on balanced accuracy");

  // The backtest is traded again with the user's settings, from the stored predictions.
  await expect(page.getByTestId("backtest-rules")).toContainText("long on buy signals, short on sell signals");
  // The first evaluation's rules were set before any test result: no mark, one application.
  await expect(page.getByTestId("rules-after-test")).toHaveCount(0);
  await expect(page.getByTestId("backtest-trials")).toContainText("used 1 time");
  const settings = page.getByRole("form", { name: "Backtest settings" });
  await settings.locator('select[name="positions"]').selectOption("long");
  await settings.locator('input[name="feePct"]').fill("0.2");
  await settings.getByTestId("backtest-apply").click();
  await expect(page.getByTestId("backtest-rules")).toContainText("long only (sell signals stay flat)");
  await expect(page.getByTestId("backtest-rules")).toContainText("fees 20.0 bps per side");
  // Rules changed after the test result was seen are marked, and counted as a trial.
  await expect(page.getByTestId("rules-after-test")).toBeVisible();
  await expect(page.getByTestId("backtest-trials")).toContainText("used 2 times");
  await settings.locator('input[name="feePct"]').fill("-1");
  await settings.getByTestId("backtest-apply").click();
  await expect(settings.getByRole("alert")).toContainText("fee must be between");

  // Every shown accuracy equals the downloadable evaluation_metrics.json.
  let testSamples = 0;
  for (const id of ["transformer", "ensemble"]) {
    const download = page.waitForEvent("download");
    await page.getByTestId(`metrics-json-${id}`).click();
    const json = JSON.parse(readFileSync(await (await download).path(), "utf8")) as {
      test_accuracy: number;
      test_samples: number;
    };
    expect(json.test_samples).toBeGreaterThan(100);
    testSamples = json.test_samples;
    await expect(page.getByTestId(`accuracy-${id}`)).toHaveText(`${(json.test_accuracy * 100).toFixed(1)}%`);
  }
  // Per-sample predictions, built in the export worker: one `test` row per test sample.
  const predictions = page.waitForEvent("download");
  await page.getByTestId("action-predictions-csv").click();
  const lines = readFileSync(await (await predictions).path(), "utf8")
    .trimEnd()
    .split("\n");
  expect(lines[0]).toContain("ensemble_learned_p_strong_buy");
  expect(lines.filter((l) => l.startsWith("test,")).length).toBe(testSamples);

  // The other downloads: importances as CSV, training curves as CSV, a confusion matrix as PNG.
  for (const [id, check] of [
    ["action-importance-csv", (b: Buffer) => expect(b.toString("utf8").split("\n")[0]).toContain("feature")],
    ["curves-csv", (b: Buffer) => expect(b.toString("utf8").split("\n").length).toBeGreaterThan(2)],
    ["confusion-png-ensemble", (b: Buffer) => expect(b.subarray(1, 4).toString("latin1")).toBe("PNG")],
  ] as const) {
    const download = page.waitForEvent("download");
    await page.getByTestId(id).click();
    check(readFileSync(await (await download).path()));
  }

  // The TFLite files the app loads, each size shown beside the guide's 3 MB limit (float32, then float16).
  for (const id of ["transformer", "lstm"]) {
    await expect(page.getByTestId(`tflite-size-${id}`)).toContainText(/KB of the guide's 3\.0 MB limit/, {
      timeout: 60_000,
    });
    const download = page.waitForEvent("download");
    await page.getByTestId(`tflite-${id}`).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${id}_model.tflite`);
    expect(
      readFileSync(await file.path())
        .subarray(4, 8)
        .toString("latin1"),
    ).toBe("TFL3");
  }
  const float32Size = await page.getByTestId("tflite-size-transformer").textContent();
  await page.getByLabel("float16 weights").check();
  await expect(page.getByTestId("tflite-size-transformer")).toContainText("KB of the guide's", { timeout: 60_000 });
  expect(await page.getByTestId("tflite-size-transformer").textContent()).not.toBe(float32Size);
  await page.getByLabel("float16 weights").uncheck();

  // A float16 bundle states what it costs, measured on the run's test part.
  await page.getByLabel("float16 weights").check();
  const halfDownload = page.waitForEvent("download");
  await page.getByTestId("action-bundle").click();
  await halfDownload;
  await expect(page.getByTestId("results-message")).toContainText(
    /float16 tfjs weights take .* instead of .*; test accuracy as trained \(float32\) → the bundle.s float16 weights run here: transformer/,
    { timeout: 60_000 },
  );
  console.log("[float16]", await page.getByTestId("results-message").textContent());
  await page.getByLabel("float16 weights").uncheck();

  // The model bundle downloads (tfjs + forest + ONNX + TFLite + golden vectors + README.md).
  const bundleDownload = page.waitForEvent("download");
  await page.getByTestId("action-bundle").click();
  const bundlePath = await (await bundleDownload).path();
  const bundled = unzipSync(readFileSync(bundlePath));
  for (const f of ["tflite/transformer_model.tflite", "tflite/lstm_model.tflite", "README.md"])
    expect(bundled[f]?.length, f).toBeGreaterThan(0);
  expect(strFromU8(bundled["README.md"])).toContain("float32, shape [1, 120, 42]");
  await expect(page.getByTestId("results-message")).toContainText("Bundle written");

  // Another machine: a fresh context rebuilds the same synthetic dataset, imports the bundle,
  // and evaluates it again with identical figures.
  const machine = await browser.newContext();
  const second = await machine.newPage();
  second.on("console", (m) =>
    console.log(`[second +${((Date.now() - started) / 1000).toFixed(1)}s ${m.type()}]`, m.text().slice(0, 300)),
  );
  second.on("pageerror", (e) => console.log("[second pageerror]", e.message));
  await generateSynthetic(second, "2023-01-01", "2023-05-01");
  await buildDataset(second);
  await second.goto("/results/");
  // A file that is no bundle is refused by the export worker (which reads and unzips off the page).
  await second
    .getByTestId("bundle-file")
    .setInputFiles({ name: "notes.zip", mimeType: "application/zip", buffer: Buffer.from("not a zip") });
  await expect(second.getByTestId("bundle-import-error")).toContainText("This file is not a readable ZIP");
  await second.getByTestId("bundle-file").setInputFiles(bundlePath);
  await expect(second.getByTestId("bundle-import-message")).toContainText("every test accuracy equals the bundle's", {
    timeout: 120_000,
  });
  await expect(second.getByTestId("accuracy-ensemble")).toHaveText(
    (await page.getByTestId("accuracy-ensemble").textContent()) ?? "",
  );
  await machine.close();

  // Share link → a fresh context (no IndexedDB data) shows the same dashboard, read-only.
  await page.getByTestId("action-share").click();
  const link = await page.getByTestId("share-link").inputValue();
  expect(link.length).toBeLessThan(8192);
  const shownAccuracy = await page.getByTestId("accuracy-ensemble").textContent();
  const other = await browser.newContext();
  const viewer = await other.newPage();
  await viewer.goto(link.replace(/^https?:\/\/[^/]+/, STUDIO_URL));
  await expect(viewer.getByTestId("share-readonly")).toBeVisible();
  await expect(viewer.getByTestId("accuracy-ensemble")).toHaveText(shownAccuracy ?? "");
  // The verdict travels as the Results page computed it: same gaps, same "clearly better" models.
  for (const id of ["verdict-accuracy", "verdict-balancedAccuracy"])
    await expect(viewer.getByTestId(id)).toHaveText((await page.getByTestId(id).textContent()) ?? "");
  await expect(viewer.getByTestId("backtest-rules")).toContainText("long only");
  await expect(viewer.getByTestId("rules-after-test")).toBeVisible();
  await expect(viewer.getByTestId("backtest-settings")).toHaveCount(0);
  // A damaged link gets a clear message, never a broken page.
  await viewer.goto(link.replace(/^https?:\/\/[^/]+/, STUDIO_URL).slice(0, -40) + "x");
  await viewer.reload();
  await expect(viewer.getByTestId("share-error")).toBeVisible();
  await other.close();
});
