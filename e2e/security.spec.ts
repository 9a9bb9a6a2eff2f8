import { expect, test } from "@playwright/test";
import { watchCsp } from "./csp-watch";
import { fillCollectForm, mockReset, storedCount } from "./helpers";
import { STUDIO_URL } from "./ports";

// The Content-Security-Policy of issue 17 (item 14), as the browser enforces it: the header from
// scripts/serve.mjs plus the <meta> the build put in every page (scripts/csp-postbuild.mjs).

const ROUTES = ["/", "/data/", "/dataset/", "/train/", "/results/", "/share/"];

/** A policy's directives by name. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

test("every page runs under the strict policy with no violation, and every response carries the headers", async ({
  page,
}) => {
  const violations = await watchCsp(page);
  const unguarded: string[] = [];
  page.on("response", (r) => {
    if (!r.url().startsWith(`${STUDIO_URL}/`)) return;
    const h = r.headers();
    if (!h["content-security-policy"] || h["x-content-type-options"] !== "nosniff") unguarded.push(r.url());
  });
  for (const route of [...ROUTES, "/no-such-page/"]) {
    const response = await page.goto(route);
    expect(response?.status(), route).toBe(route === "/no-such-page/" ? 404 : 200);
    const headers = response!.headers();
    const policy = directives(headers["content-security-policy"]);
    expect(policy["script-src"].slice(0, 2), route).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(
      policy["script-src"].slice(2).every((s) => /^'sha256-[A-Za-z0-9+/]+=*'$/.test(s)),
      route,
    ).toBe(true);
    expect(Object.values(policy).flat(), route).not.toContain("'unsafe-inline'");
    expect(Object.values(policy).flat(), route).not.toContain("'unsafe-eval'");
    expect(policy["default-src"], route).toEqual(["'self'"]);
    expect(policy["object-src"], route).toEqual(["'none'"]);
    expect(policy["frame-ancestors"], route).toEqual(["'none'"]);
    expect(headers["x-content-type-options"], route).toBe("nosniff");
    expect(headers["referrer-policy"], route).toBe("no-referrer");
    expect(headers["cross-origin-opener-policy"], route).toBe("same-origin");
    expect(headers["cross-origin-embedder-policy"], route).toBe("require-corp");
    // The meta tag (static hosting) says the same, less frame-ancestors (ignored in a meta tag).
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    expect(meta, route).toBe(headers["content-security-policy"].replace("; frame-ancestors 'none'", ""));
    await page.waitForLoadState("networkidle");
    // Next's hashed inline scripts ran (they fill self.__next_f), and the navigation is interactive.
    expect(await page.evaluate(() => Array.isArray((self as { __next_f?: unknown }).__next_f)), route).toBe(true);
    await expect(page.getByRole("navigation").getByRole("link", { name: "1 · Data", exact: true })).toBeVisible();
  }
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  expect(violations).toEqual([]);
  expect(unguarded).toEqual([]);
});

test("the policy blocks injected code yet lets the studio compile wasm and its collect worker reach a loopback mirror", async ({
  page,
  request,
}) => {
  await mockReset(request);
  const violations = await watchCsp(page);
  await page.goto("/data/");
  await page.waitForLoadState("networkidle");

  // What an injected script would try: each is refused, and the watcher sees each refusal.
  const attempts = await page.evaluate(async () => {
    // (eval itself cannot be tried from here: code Playwright evaluates is exempt from the policy.)
    const handler = document.createElement("div");
    handler.setAttribute("onclick", "window.__clicked = true");
    document.body.append(handler);
    handler.click();
    const inline = document.createElement("script");
    inline.textContent = "window.__injected = true";
    document.body.append(inline);
    const blobWorker = await new Promise<string>((resolve) => {
      try {
        const w = new Worker(URL.createObjectURL(new Blob(["postMessage(1)"], { type: "text/javascript" })));
        w.onmessage = () => resolve("ran");
        w.onerror = () => resolve("blocked");
      } catch {
        resolve("blocked");
      }
    });
    // The smallest valid module: 'wasm-unsafe-eval' allows compiling it (tfjs-wasm needs this).
    const wasm = await WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(
      () => "compiled",
      (e: Error) => e.message,
    );
    return { handlerRan: "__clicked" in window, injectedRan: "__injected" in window, blobWorker, wasm };
  });
  expect(attempts).toEqual({ handlerRan: false, injectedRan: false, blobWorker: "blocked", wasm: "compiled" });
  // Each refusal is reported once per policy in force: the header's and the meta tag's.
  await expect
    .poll(() =>
      violations
        .filter((v) => v.startsWith("CSP violation"))
        .map((v) => v.split(" ")[2])
        .sort(),
    )
    .toEqual(["script-src-attr", "script-src-attr", "script-src-elem", "script-src-elem", "worker-src", "worker-src"]);
  violations.length = 0;

  // The collect worker runs under its own script's policy: connect-src lets it reach our mock
  // Binance at http://127.0.0.1 (a local mirror), and it stores what it fetched.
  await fillCollectForm(page, { symbols: "BTCUSDT", start: "2023-01-01", end: "2023-01-10", intervals: ["1d"] });
  await page.getByRole("button", { name: "Collect", exact: true }).click();
  await expect(page.getByTestId("collect-binance:BTCUSDT:1d")).toHaveAttribute("data-status", "done", {
    timeout: 60_000,
  });
  await expect.poll(() => storedCount(page, "binance:BTCUSDT:1d")).toBe(9);
  expect(violations).toEqual([]);
});
