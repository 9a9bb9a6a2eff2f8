import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** Our mock Binance, started by playwright.config.ts on loopback. */
export const MOCK_URL = "http://127.0.0.1:9100";

export async function mockControl(request: APIRequestContext, faults: Record<string, unknown>): Promise<void> {
  const r = await request.post(`${MOCK_URL}/__control`, { data: faults });
  expect(r.ok()).toBe(true);
}

export async function mockReset(request: APIRequestContext): Promise<void> {
  const r = await request.post(`${MOCK_URL}/__reset`);
  expect(r.ok()).toBe(true);
}

export async function mockStats(request: APIRequestContext): Promise<{ byStatus: Record<string, number> } & Record<string, unknown>> {
  return (await (await request.get(`${MOCK_URL}/__stats`)).json()) as { byStatus: Record<string, number> };
}

/** Fills the Binance collection form. */
export async function fillCollectForm(page: Page, opts: { symbols: string; start: string; end: string; intervals: string[] }): Promise<void> {
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
