import { expect, test } from "@playwright/test";
import { generateSynthetic, MOCK_URL, mockControl, mockReset } from "./helpers";

test.beforeEach(async ({ request }) => {
  await mockReset(request);
});

test("a dataset build can be cancelled: nothing is saved, and the next build runs in a fresh worker", async ({
  page,
  request,
}) => {
  await generateSynthetic(page);
  // The dataset workers this page starts, and which of them have been terminated.
  const started: string[] = [];
  const closed: string[] = [];
  page.on("worker", (w) => {
    if (!/dataset/.test(w.url())) return;
    started.push(w.url());
    w.on("close", () => closed.push(w.url()));
  });
  await page.goto("/dataset/");
  const form = page.getByRole("form", { name: "Build dataset" });
  await expect(form.locator('select[name="source"]')).toContainText("SYNTH");
  // Alternative data fetched from the mock, held for a minute: the build waits in the worker.
  await form.locator('select[name="altMode"]').selectOption("fetch");
  await form.locator('input[name="futuresUrl"]').fill(MOCK_URL);
  await form.locator('input[name="fngUrl"]').fill(MOCK_URL);
  await mockControl(request, { delayMs: 60_000 });
  await form.getByRole("button", { name: "Build dataset" }).click();
  await expect(form.getByRole("button", { name: "Building…" })).toBeDisabled();
  await form.getByRole("button", { name: "Cancel" }).click();
  // Cancel terminates the worker at once, long before the mock would answer.
  await expect(page.getByTestId("build-cancelled")).toHaveText("Build cancelled: nothing was saved.", {
    timeout: 5_000,
  });
  await expect(form.getByRole("button", { name: "Build dataset" })).toBeEnabled();
  await expect(page.getByTestId("dataset-table")).toHaveCount(0);
  await expect.poll(() => closed.length).toBe(1);

  await mockControl(request, { delayMs: 0 });
  await form.getByRole("button", { name: "Build dataset" }).click();
  await expect(page.getByTestId("quality-report")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("build-cancelled")).toHaveCount(0);
  await expect(page.getByTestId("dataset-row")).toHaveCount(1);
  expect(started.length).toBe(2);
});

test("fit thresholds: the build chooses strong / weak on the training part and the report shows them", async ({
  page,
}) => {
  await generateSynthetic(page);
  await page.goto("/dataset/");
  const form = page.getByRole("form", { name: "Build dataset" });
  // The synthetic market stores 15m, 1h and 4h over the same dates: read as stored, no warning.
  await expect(form.getByTestId("built-from")).toContainText("4h from its stored synthetic series");
  await expect(form.getByTestId("other-series")).toHaveCount(0);
  await form.locator('select[name="altMode"]').selectOption("none");
  await form.locator('input[name="fitThresholds"]').check();
  await expect(form.locator('input[name="fitTarget"]')).toHaveValue("15");
  // The preview fits on the training part it will hold, with the build's own code.
  await expect(form.getByTestId("class-balance-fit")).toContainText("Thresholds fitted on the training part");
  await expect(form.getByTestId("class-balance-fit")).toContainText("strong");
  await form.getByRole("button", { name: "Build dataset" }).click();
  await expect(page.getByTestId("quality-report")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("dataset-thresholds")).toContainText(/fitted on [\d,]+ training samples/);
  await expect(page.getByTestId("dataset-thresholds")).toContainText("target 15%, reached");
  await expect(page.locator('[data-status][data-status="good"]', { hasText: "Worst class above 15%" })).toHaveCount(1);
});

test("a multi-symbol dataset pools two stored symbols with one split by time and reports each symbol", async ({
  page,
}) => {
  await generateSynthetic(page);
  await page.getByRole("form", { name: "Synthetic market" }).locator('input[name="synthSymbol"]').fill("ETHUSDT");
  await page
    .getByRole("form", { name: "Synthetic market" })
    .getByRole("button", { name: /generate/i })
    .click();
  await expect(page.getByTestId("series-synthetic:ETHUSDT:1h")).toBeVisible({ timeout: 60_000 });
  await page.goto("/dataset/");
  const form = page.getByRole("form", { name: "Build dataset" });
  await form.locator('select[name="altMode"]').selectOption("none");
  await form.getByTestId("pool-symbols").locator('input[type="checkbox"]').first().check();
  await form.locator('select[name="poolNormalization"]').selectOption("per-symbol");
  await form.getByRole("button", { name: "Build dataset" }).click();
  await expect(page.getByTestId("quality-report")).toBeVisible({ timeout: 60_000 });
  const perSymbol = page.getByTestId("quality-per-symbol").locator("tbody tr");
  await expect(perSymbol).toHaveCount(2);
  await expect(page.getByTestId("quality-per-symbol")).toContainText("SYNTH");
  await expect(page.getByTestId("quality-per-symbol")).toContainText("ETHUSDT");
});
