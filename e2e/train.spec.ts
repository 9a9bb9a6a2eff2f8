import { chromium, expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { CHROMIUM_ARGS, CHROMIUM_PATH, WEBGPU_SOFTWARE_ARGS } from "@/test/chromium";
import { buildDataset, generateSynthetic, idbRecords, setParam } from "./helpers";

interface Epoch {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  trainSeconds?: number;
}
interface StoredRun {
  id: string;
  status: string;
  history: Record<string, Epoch[]>;
}
interface StoredCheckpoint {
  runId: string;
  model: string;
  epoch: number;
  state: { history: Epoch[] };
}
interface StoredModel {
  runId: string;
  name: string;
  meta: { outcome: { backend?: string; history?: Epoch[] } };
}

function logPage(page: Page) {
  page.on("pageerror", (e) => console.log("[pageerror]", e.message));
  page.on("console", (m) => m.type() === "error" && console.log("[page error]", m.text().slice(0, 300)));
}

/** Synthetic market over a short range, then a dataset with the default settings. */
async function prepareDataset(page: Page) {
  await generateSynthetic(page, "2023-01-01", "2023-03-01");
  await buildDataset(page);
}

/** Backend, models on/off, and tiny sequence models on the Train page. */
async function setupTraining(
  page: Page,
  opts: { backend: string; models: ("transformer" | "lstm")[]; epochs: number; batchSize: number },
) {
  await page.goto("/train/");
  await page.locator('select[name="backend"]').selectOption(opts.backend);
  for (const m of ["transformer", "lstm", "forest"])
    await page.getByLabel(`train ${m}`, { exact: true }).setChecked(opts.models.includes(m as "transformer"));
  for (const m of opts.models) {
    await setParam(page, m, "epochs", String(opts.epochs));
    await setParam(page, m, "batchSize", String(opts.batchSize));
    // No early stop: every configured epoch runs.
    await setParam(page, m, "patience", "100");
  }
  if (opts.models.includes("transformer")) {
    await setParam(page, "transformer", "dModel", "16");
    await setParam(page, "transformer", "ff", "32");
    await setParam(page, "transformer", "blocks", "1");
    await setParam(page, "transformer", "heads", "1");
    // 5 tokens of 24 steps (the default is 15 of 8): SwiftShader's WebGPU is slow.
    await setParam(page, "transformer", "patch", "24");
  }
  if (opts.models.includes("lstm")) {
    await setParam(page, "lstm", "units", "16");
    await setParam(page, "lstm", "layers", "1");
    await setParam(page, "lstm", "patch", "24");
  }
}

/** The curves CSV of the Results page, parsed: model → rows in file order. */
async function downloadCurves(page: Page): Promise<Record<string, Epoch[]>> {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "curves CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("training_curves.csv");
  const [header, ...lines] = readFileSync(await file.path(), "utf8")
    .trim()
    .split("\n");
  expect(header).toBe("model,epoch,loss,acc,val_loss,val_acc");
  const out: Record<string, Epoch[]> = {};
  for (const line of lines) {
    const [model, epoch, loss, acc, valLoss, valAcc] = line.split(",");
    (out[model] ??= []).push({
      epoch: Number(epoch),
      loss: Number(loss),
      acc: Number(acc),
      valLoss: Number(valLoss),
      valAcc: Number(valAcc),
    });
  }
  return out;
}

test("trains the Transformer and the LSTM under WebGPU (software) and the loss falls", async ({ baseURL }) => {
  test.setTimeout(240_000);
  // Its own browser: the default flags (--disable-gpu) hide WebGPU; these expose SwiftShader's.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...WEBGPU_SOFTWARE_ARGS],
  });
  try {
    const page = await (await browser.newContext({ baseURL })).newPage();
    logPage(page);
    await prepareDataset(page);

    // This browser exposes a WebGPU adapter at all (otherwise the app could only fall back).
    const adapter = await page.evaluate(async () => {
      const gpu = (
        navigator as unknown as {
          gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string } } | null> };
        }
      ).gpu;
      if (!gpu) return "navigator.gpu is missing";
      const a = await gpu.requestAdapter();
      return a ? `${a.info?.vendor ?? "?"}/${a.info?.architecture ?? "?"}` : "requestAdapter() gave null";
    });
    expect(adapter, "WebGPU adapter in this Chromium").toBe("google/swiftshader");

    await setupTraining(page, { backend: "webgpu", models: ["transformer", "lstm"], epochs: 3, batchSize: 256 });
    await page.getByRole("button", { name: "Train", exact: true }).click();

    // The backend the worker actually started (after any fallback), shown while it trains.
    for (const m of ["transformer", "lstm"]) {
      const card = page.getByTestId(`progress-${m}`);
      await expect(card).toHaveAttribute("data-backend", /./, { timeout: 120_000 });
      expect(await card.getAttribute("data-backend"), `${m} backend in use`).toBe("webgpu");
    }
    await expect(page.getByTestId("train-finished")).toBeVisible({ timeout: 180_000 });
    await expect(page.getByTestId("train-error")).toHaveCount(0);
    for (const m of ["transformer", "lstm"]) {
      await expect(page.getByTestId(`status-${m}`)).toHaveText("done");
      await expect(page.getByTestId(`progress-${m}`)).toHaveAttribute("data-backend", "webgpu");
      await expect(page.getByTestId(`curve-${m}`)).toBeVisible();
    }
    await expect(page.getByTestId("progress-forest")).toHaveAttribute("data-status", "waiting");

    // The stored models say the same backend.
    const models = await idbRecords<StoredModel>(page, "models");
    expect(models.map((r) => `${r.name}:${r.meta.outcome.backend}`).sort()).toEqual([
      "lstm:webgpu",
      "transformer:webgpu",
    ]);

    await page.getByRole("link", { name: "Open the results" }).click();
    await expect(page.getByTestId("run-dashboard")).toBeVisible();
    await expect(page.getByTestId("curves-section")).toBeVisible();
    const curves = await downloadCurves(page);
    expect(Object.keys(curves).sort()).toEqual(["lstm", "transformer"]);
    for (const m of ["transformer", "lstm"]) {
      const rows = curves[m];
      expect(
        rows.map((r) => r.epoch),
        `${m} epochs`,
      ).toEqual([1, 2, 3]);
      for (const r of rows)
        expect(Number.isFinite(r.loss) && Number.isFinite(r.valLoss), `${m} epoch ${r.epoch} finite`).toBe(true);
      expect(rows[2].loss, `${m}: last-epoch training loss below the first`).toBeLessThan(rows[0].loss);
    }
  } finally {
    await browser.close();
  }
});

test("a reload in the middle of training resumes from the last stored epoch, nothing lost or duplicated", async ({
  page,
}) => {
  test.setTimeout(180_000);
  logPage(page);
  // Smaller batches and more epochs than the WebGPU test: wasm trains an epoch of this tiny
  // Transformer in a fraction of a second, and the reload must land well before the last one.
  const EPOCHS = 10;
  await prepareDataset(page);
  await setupTraining(page, { backend: "wasm", models: ["transformer"], epochs: EPOCHS, batchSize: 64 });
  await page.getByRole("button", { name: "Train", exact: true }).click();

  // Wait for the checkpoint of epoch 2, then reload while a later epoch trains.
  await expect
    .poll(async () => Math.max(0, ...(await idbRecords<StoredCheckpoint>(page, "checkpoints")).map((c) => c.epoch)), {
      timeout: 120_000,
      intervals: [100],
    })
    .toBeGreaterThanOrEqual(2);
  const runsBefore = await idbRecords<StoredRun>(page, "runs");
  expect(runsBefore.map((r) => r.status)).toEqual(["running"]);
  const runId = runsBefore[0].id;
  await page.reload();

  // What the reload left stored: the run still "running", the last finished epoch's checkpoint, no model.
  const [cp] = await idbRecords<StoredCheckpoint>(page, "checkpoints");
  expect(cp).toMatchObject({ runId, model: "transformer" });
  expect(cp.epoch).toBeGreaterThanOrEqual(2);
  expect(cp.epoch, "the reload must land before the last epoch").toBeLessThan(EPOCHS);
  expect(cp.state.history.map((h) => h.epoch)).toEqual(Array.from({ length: cp.epoch }, (_, i) => i + 1));
  expect(await idbRecords(page, "models")).toEqual([]);

  const list = page.getByTestId("resumable-runs");
  await expect(list).toBeVisible();
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list).toContainText("running");
  // Record every "epoch k / N" the page shows from now on.
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { epochsSeen: number[] }).epochsSeen = seen;
    new MutationObserver(() => {
      const m = /epoch (\d+) \/ \d+/.exec(
        document.querySelector('[data-testid="progress-transformer"]')?.textContent ?? "",
      );
      if (m && seen[seen.length - 1] !== Number(m[1])) seen.push(Number(m[1]));
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await list.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("train-finished")).toBeVisible({ timeout: 120_000 });
  // Training went on after the stored epoch (never from epoch 1 again).
  const seen = await page.evaluate(() => (window as unknown as { epochsSeen: number[] }).epochsSeen);
  expect(seen[0], `epochs shown after resuming: ${seen.join(",")}`).toBe(cp.epoch + 1);
  expect(Math.min(...seen)).toBe(cp.epoch + 1);
  await expect(page.getByTestId("train-error")).toHaveCount(0);
  await expect(page.getByTestId("resumable-runs")).toHaveCount(0);

  // One run, done, with epochs 1..N once each; the epochs before the reload are the stored ones (same timings: not retrained).
  const runs = await idbRecords<StoredRun>(page, "runs");
  expect(runs.map((r) => `${r.id}:${r.status}`)).toEqual([`${runId}:done`]);
  const history = runs[0].history.transformer;
  expect(history.map((h) => h.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
  expect(history.slice(0, cp.epoch)).toEqual(cp.state.history);
  expect(await idbRecords(page, "checkpoints"), "checkpoint removed once the model is stored").toEqual([]);

  // The Results page shows the run, and its curves CSV has the same epochs.
  await page.goto("/results/");
  await expect(page.getByTestId("run-dashboard")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "run" }).locator("option")).toHaveCount(1);
  expect(await page.getByRole("combobox", { name: "run" }).inputValue()).toBe(runId);
  await expect(page.getByTestId("metrics-row-transformer")).toBeVisible();
  const curves = await downloadCurves(page);
  expect(Object.keys(curves)).toEqual(["transformer"]);
  expect(curves.transformer.map((r) => r.epoch)).toEqual(history.map((h) => h.epoch));
});
