import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { rawRequest } from "../test/raw-http";
import { createStaticHandler, pathSegments, sendStream } from "./static-files.mjs";

describe("pathSegments", () => {
  it.each([
    ["/", []],
    ["/data/", ["data"]],
    ["/data/index.html?tab=binance#x", ["data", "index.html"]],
    ["/a//./b", ["a", "b"]],
    ["/caf%C3%A9", ["café"]],
  ])("decodes %j", (target, segments) => {
    expect(pathSegments(target)).toEqual(segments);
  });

  it.each([
    "/%",
    "/%E0%A4%A",
    "/%zz",
    "/%C0%AE%C0%AE/",
    "/../x",
    "/a/../../x",
    "/%2e%2e/x",
    "/%2E%2E%2Fx",
    "/a%2f..%2f..%2fx",
    "/..\\x",
    "/%5c..%5cx",
    "/x%00.html",
    "/x\0",
    "http://host/x",
    "*",
    "",
  ])("refuses %j", (target) => {
    expect(pathSegments(target)).toBeNull();
  });
});

describe("createStaticHandler", () => {
  let dir: string;
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return (server.address() as { port: number }).port;
  }

  it("serves a mount from its own folder (bench/run.ts's /shared-data/) and keeps it closed too", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "static-test-"));
    mkdirSync(path.join(dir, "root"));
    mkdirSync(path.join(dir, "shared"));
    writeFileSync(path.join(dir, "root", "index.html"), "page");
    writeFileSync(path.join(dir, "shared", "candles.csv"), "open_time,open\n");
    writeFileSync(path.join(dir, "secret.txt"), "secret");
    const port = await listen(
      createStaticHandler({
        root: path.join(dir, "root"),
        mounts: { "shared-data": path.join(dir, "shared") },
        headersFor: () => ({ "X-Test": "1" }),
      }),
    );
    const csv = await rawRequest(port, "/shared-data/candles.csv");
    expect([csv.status, csv.body, csv.headers["content-type"], csv.headers["x-test"]]).toEqual([
      200,
      "open_time,open\n",
      "text/csv; charset=utf-8",
      "1",
    ]);
    expect((await rawRequest(port, "/shared-data/%2e%2e/secret.txt")).status).toBe(400);
    // A name on Object.prototype is not a mount (it once reached path.join as a function).
    expect((await rawRequest(port, "/constructor/x")).status).toBe(404);
    expect((await rawRequest(port, "/")).body).toBe("page");
  });

  it("cuts a response off when its file fails mid-read and serves the next request", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "static-test-"));
    const port = await listen((req, res) => {
      if (req.url === "/ok") return void res.end("fine");
      res.writeHead(200, { "Content-Length": 100 });
      let sent = false;
      // A file whose read fails after its first bytes (EIO from a failing disk, say).
      const failing = new Readable({
        read() {
          // The error comes a moment later, once the first bytes have left.
          if (sent)
            setTimeout(() => this.destroy(Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" })), 50);
          else this.push("partial ");
          sent = true;
        },
      });
      sendStream(failing, res);
    });
    const cut = await rawRequest(port, "/broken");
    expect(cut.status).toBe(200);
    expect(cut.body).toBe("partial ");
    expect((await rawRequest(port, "/ok")).body).toBe("fine");
  }, 5_000);
});
