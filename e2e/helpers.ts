import { expect, type APIRequestContext, type Page } from "@playwright/test";

import { MOCK_URL } from "./ports";

/** Our mock Binance, started by playwright.config.ts on loopback. */
export { MOCK_URL };

export async function mockControl(request: APIRequestContext, faults: Record<string, unknown>): Promise<void> {
  const r = await request.post(`${MOCK_URL}/__control`, { data: faults });
  expect(r.ok()).toBe(true);
}

export async function mockReset(request: APIRequestContext): Promise<void> {
  const r = await request.post(`${MOCK_URL}/__reset`);
  expect(r.ok()).toBe(true);
}

export async function mockStats(
  request: APIRequestContext,
): Promise<{ byStatus: Record<string, number> } & Record<string, unknown>> {
  return (await (await request.get(`${MOCK_URL}/__stats`)).json()) as { byStatus: Record<string, number> };
}

/** Fills the Binance collection form. */
export async function fillCollectForm(
  page: Page,
  opts: { symbols: string; start: string; end: string; intervals: string[] },
): Promise<void> {
  await page.getByRole("tab", { name: "Binance" }).click();
  const form = page.getByRole("form", { name: "Collect from Binance" });
  await form.locator('input[name="symbols"]').fill(opts.symbols);
  await form.locator('input[name="baseUrl"]').fill(MOCK_URL);
  await form.locator('input[name="start"]').fill(opts.start);
  await form.locator('input[name="end"]').fill(opts.end);
  for (const i of ["1m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "12h", "1d"]) {
    await form.getByLabel(`interval ${i}`, { exact: true }).setChecked(opts.intervals.includes(i));
  }
}

/** Stored candle count of a series as the series table shows it. */
export async function storedCount(page: Page, seriesId: string): Promise<number> {
  const row = page.getByTestId(`series-${seriesId}`);
  if ((await row.count()) === 0) return 0;
  return Number(await row.getAttribute("data-count"));
}

/** Generates the synthetic market (small by default) through the Data page. */
export async function generateSynthetic(page: Page, start = "2023-01-01", end = "2023-07-01"): Promise<void> {
  await page.goto("/data/");
  await page.getByRole("tab", { name: "Synthetic market" }).click();
  const form = page.getByRole("form", { name: "Synthetic market" });
  await form.locator('input[name="synthStart"]').fill(start);
  await form.locator('input[name="synthEnd"]').fill(end);
  await form.getByRole("button", { name: /generate/i }).click();
  await expect(page.getByTestId("synthetic-outcome")).toContainText("stored", { timeout: 60_000 });
}

/** Sets a field of a model's parameter form on the Train page (number input or select). */
export async function setParam(page: Page, model: string, name: string, value: string): Promise<void> {
  const field = page.getByTestId(`params-${model}`).locator(`[name="${name}"]`);
  if ((await field.evaluate((el) => el.tagName)) === "SELECT") await field.selectOption(value);
  else await field.fill(value);
}

/** Builds a dataset from the first stored source with the Dataset page's defaults. */
export async function buildDataset(page: Page): Promise<void> {
  await page.goto("/dataset/");
  const form = page.getByRole("form", { name: "Build dataset" });
  await expect(form.locator('select[name="source"]')).toContainText("SYNTH");
  await form.getByRole("button", { name: "Build dataset" }).click();
  await expect(page.getByTestId("quality-report")).toBeVisible({ timeout: 60_000 });
}

/** Every record of an object store of the studio's IndexedDB, without its binary fields (weights, probabilities). */
export async function idbRecords<T = Record<string, unknown>>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (store) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open("trademate-studio");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction(store, "readonly").objectStore(store).getAll();
          req.onerror = () => {
            db.close();
            reject(req.error);
          };
          req.onsuccess = () => {
            db.close();
            const plain = (_k: string, v: unknown) =>
              v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? undefined : v;
            resolve(JSON.parse(JSON.stringify(req.result, plain)) as T[]);
          };
        };
      }),
    store,
  );
}
