import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../test/raw-http";
import { createStudioServer, readPolicies } from "./serve.mjs";

const SECRET = "TOP-SECRET-OUTSIDE-THE-ROOT";
const POLICIES = {
  "*": "default-src 'self'; frame-ancestors 'none'",
  "index.html": "default-src 'self'; script-src 'self' 'sha256-home'",
  "data/index.html": "default-src 'self'; script-src 'self' 'sha256-data'",
  "404.html": "default-src 'self'; script-src 'self' 'sha256-404'",
};

/** A tiny export: pages, a script, a 404 page, csp.json, a secret beside the root, and a trap. */
function makeSite(): { dir: string; root: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "serve-test-"));
  const root = path.join(dir, "out");
  mkdirSync(path.join(root, "data"), { recursive: true });
  writeFileSync(path.join(root, "index.html"), "<p>home</p>");
  writeFileSync(path.join(root, "data", "index.html"), "<p>data page</p>");
  writeFileSync(path.join(root, "about.html"), "<p>about</p>");
  writeFileSync(path.join(root, "app.js"), "console.log(1)");
  writeFileSync(path.join(root, "404.html"), "<p>no such page</p>");
  writeFileSync(path.join(root, "csp.json"), JSON.stringify(POLICIES));
  writeFileSync(path.join(dir, "secret.txt"), SECRET);
  // A directory named like a page: the old server resolved /trap to it and its read stream's
  // EISDIR error, with no handler, ended the process.
  mkdirSync(path.join(root, "trap.html"));
  return { dir, root };
}

/** Starts `node scripts/serve.mjs root 0` and resolves with the port it prints. */
function startCli(root: string): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, [path.join("scripts", "serve.mjs"), root, "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (c) => (output += String(c)));
    child.stdout!.on("data", (c) => {
      output += String(c);
      const port = /localhost:(\d+)/.exec(output)?.[1];
      if (port) resolve({ child, port: Number(port), output: () => output });
    });
    child.on("exit", (code) => reject(new Error(`serve.mjs exited with ${code}: ${output}`)));
  });
}

describe("node scripts/serve.mjs (a child process) against hostile requests", () => {
  let site: { dir: string; root: string };
  let server: Awaited<ReturnType<typeof startCli>>;
  beforeAll(async () => {
    site = makeSite();
    server = await startCli(site.root);
  });
  afterAll(() => {
    server?.child.kill();
    rmSync(site.dir, { recursive: true, force: true });
  });

  // Each of these once either threw in decodeURIComponent (ending the process) or could name a
  // file outside the root.
  it.each([
    ["/%", 400],
    ["/%E0%A4%A", 400],
    ["/%C0%AE%C0%AE/secret.txt", 400],
    ["/../secret.txt", 400],
    ["/%2e%2e/secret.txt", 400],
    ["/%2E%2E%2Fsecret.txt", 400],
    ["/data/%2e%2e/%2e%2e/secret.txt", 400],
    ["/..%5Csecret.txt", 400],
    ["/..\\secret.txt", 400],
    ["/index.html%00.png", 400],
    ["/index.html\0", 400],
    ["http://127.0.0.1/../secret.txt", 400],
    ["/trap", 404],
    ["/trap.html", 404],
  ])("GET %j answers %i, reveals nothing and the server lives on", async (target, status) => {
    const r = await rawRequest(server.port, target);
    expect(r.status).toBe(status);
    expect(r.body).not.toContain(SECRET);
    expect(server.child.exitCode).toBeNull();
  });

  it.each(["POST", "PUT", "DELETE", "OPTIONS", "PATCH"])("%s answers 405 with Allow: GET, HEAD", async (method) => {
    const r = await rawRequest(server.port, "/", method);
    expect(r.status).toBe(405);
    expect(r.headers["allow"]).toBe("GET, HEAD");
  });

  it("still serves a normal request after all of them", async () => {
    const r = await rawRequest(server.port, "/");
    expect(r.status).toBe(200);
    expect(r.body).toBe("<p>home</p>");
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/error/i);
  });
});

describe("createStudioServer", () => {
  let site: { dir: string; root: string };
  let server: Server;
  let port: number;
  beforeAll(async () => {
    site = makeSite();
    server = createStudioServer({ root: site.root, policies: readPolicies(site.root) });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    server.close();
    rmSync(site.dir, { recursive: true, force: true });
  });

  it("sends each page its own policy, the rest the default one, and the security headers on all", async () => {
    for (const [target, policy, body] of [
      ["/", POLICIES["index.html"], "<p>home</p>"],
      ["/data/", POLICIES["data/index.html"], "<p>data page</p>"],
      ["/app.js", POLICIES["*"], "console.log(1)"],
      ["/about", POLICIES["*"], "<p>about</p>"],
      ["/%", POLICIES["*"], "bad request path"],
    ]) {
      const r = await rawRequest(port, target);
      expect(r.headers["content-security-policy"], target).toBe(policy);
      expect(r.body, target).toBe(body);
      expect(r.headers["x-content-type-options"], target).toBe("nosniff");
      expect(r.headers["referrer-policy"], target).toBe("no-referrer");
      expect(r.headers["cross-origin-opener-policy"], target).toBe("same-origin");
      expect(r.headers["cross-origin-embedder-policy"], target).toBe("require-corp");
      expect(r.headers["cross-origin-resource-policy"], target).toBe("same-origin");
    }
  });

  it("answers a missing page with 404.html, its status and its policy", async () => {
    const r = await rawRequest(port, "/no/such/page/");
    expect(r.status).toBe(404);
    expect(r.body).toBe("<p>no such page</p>");
    expect(r.headers["content-security-policy"]).toBe(POLICIES["404.html"]);
  });

  it("answers HEAD with GET's headers and no body", async () => {
    const r = await rawRequest(port, "/data/", "HEAD");
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(r.headers["content-length"]).toBe(String("<p>data page</p>".length));
    expect(r.body).toBe("");
  });
});

describe("readPolicies", () => {
  it("names the missing csp.json and the command that writes it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "serve-test-"));
    try {
      expect(() => readPolicies(dir)).toThrow(/csp\.json could not be read .*npm run build/);
      writeFileSync(path.join(dir, "csp.json"), '{"index.html": "x"}');
      expect(() => readPolicies(dir)).toThrow(/csp\.json has no "\*" policy/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
