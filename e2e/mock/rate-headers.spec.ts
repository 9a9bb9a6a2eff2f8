/**
 * The mock's rate headers as a real page sees them, and the studio's requests needing no CORS
 * preflight (issue 17). Node's fetch ignores CORS, so only a browser can show both.
 */
import { expect, test } from "@playwright/test";
import { MOCK_URL, fillCollectForm, mockControl, mockReset, mockStats } from "../helpers";

test.beforeEach(async ({ request }) => {
  await mockReset(request);
});

test("a page reads the weight header and Retry-After only while the mock exposes them", async ({ page, request }) => {
  await page.goto("/");
  const read = () =>
    page.evaluate(async (url) => {
      const r = await fetch(`${url}/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=1`);
      return { status: r.status, weight: r.headers.get("x-mbx-used-weight-1m"), retry: r.headers.get("retry-after") };
    }, MOCK_URL);
  expect((await read()).weight).toMatch(/^[0-9]+$/);
  await mockControl(request, { rateLimit: { count: 1, retryAfterS: 1 } });
  expect(await read()).toMatchObject({ status: 429, retry: "1" });

  await mockControl(request, { hideRateHeaders: true });
  expect(await read()).toEqual({ status: 200, weight: null, retry: null });
  await mockControl(request, { rateLimit: { count: 1, retryAfterS: 1 } });
  expect(await read()).toEqual({ status: 429, weight: null, retry: null });
});

test("collecting with the rate headers hidden works and sends no CORS preflight", async ({ page, request }) => {
  await mockControl(request, { hideRateHeaders: true });
  await page.goto("/data/");
  await fillCollectForm(page, { symbols: "BTCUSDT", start: "2023-05-01", end: "2023-06-01", intervals: ["15m", "1h"] });
  await page.getByRole("button", { name: "Collect", exact: true }).click();
  for (const iv of ["15m", "1h"])
    await expect(page.getByTestId(`collect-binance:BTCUSDT:${iv}`)).toHaveAttribute("data-status", "done", {
      timeout: 60_000,
    });
  const stats = await mockStats(request);
  expect(stats.byStatus["200"]).toBeGreaterThanOrEqual(3);
  expect(stats.preflights).toBe(0);
  // The count works: a request with a header outside the CORS safelist is preflighted.
  await page.evaluate(
    (url) => fetch(`${url}/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=1`, { headers: { "X-MBX-APIKEY": "k" } }),
    MOCK_URL,
  );
  expect((await mockStats(request)).preflights).toBe(1);
});
