import type { Page } from "@playwright/test";

/**
 * Collects every CSP violation the page or its workers meet: `securitypolicyviolation` events
 * (page and workers), Chromium's console reports ("… violates the following Content Security
 * Policy directive …") and page errors such as the EvalError a blocked eval throws. Any spec can
 * call it on its page and expect the list empty at the end.
 */
export async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  const report = (e: SecurityPolicyViolationEvent) =>
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}`);
  await page.addInitScript(`document.addEventListener("securitypolicyviolation", ${report.toString()}, true)`);
  page.on("worker", (worker) => {
    // Workers have their own policy (the header of their script) and report to their own scope.
    worker.evaluate(`self.addEventListener("securitypolicyviolation", ${report.toString()})`).catch(() => {});
  });
  page.on("console", (msg) => {
    if (/content security policy|CSP violation/i.test(msg.text())) seen.push(msg.text());
  });
  page.on("pageerror", (err) => /content security policy|EvalError/i.test(err.message) && seen.push(err.message));
  return seen;
}
