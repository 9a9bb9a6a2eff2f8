/**
 * One static-file handler for the studio's server (scripts/serve.mjs) and the benchmark runner
 * (bench/run.ts). Any web page the user visits can send requests to localhost, so nothing a
 * request carries may end the process (issue 17, item 1: `GET /%` threw in decodeURIComponent and
 * ended `npm start`; a read-stream error had no handler either). Bad percent-encodings and paths
 * that could leave the root get 400, methods other than GET and HEAD get 405, an error while a
 * file is read ends that response only.
 */
import { open, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream";

/** Content-Type by extension; anything else is application/octet-stream. */
export const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".woff2": "font/woff2",
};

const ALLOWED_METHODS = "GET, HEAD";

/**
 * Decodes a request target's path into segments, refusing anything that is not a plain path
 * inside the root: a bad percent-encoding ("/%", "/%E0%A4%A"), a ".." segment (raw or encoded as
 * %2e%2e, %2f), a backslash (a separator on Windows), a NUL, or a target that does not start
 * with "/" (absolute-form "http://host/…", "*").
 * @param {string} target the request target, e.g. "/data/?tab=binance"
 * @returns {string[] | null} the decoded segments without empty and "." ones ("/" → []), or null
 */
export function pathSegments(target) {
  if (!target.startsWith("/")) return null;
  let decoded;
  try {
    decoded = decodeURIComponent(target.split(/[?#]/, 1)[0]);
  } catch {
    return null;
  }
  if (/[\\\0]/.test(decoded)) return null;
  const segments = decoded.split("/").filter((s) => s !== "" && s !== ".");
  return segments.includes("..") ? null : segments;
}

/**
 * Pipes a body into a response; if the source fails mid-way (a read error), the response is cut
 * off (the client sees a short body against Content-Length) and the process carries on.
 * @param {import("node:stream").Readable} source
 * @param {import("node:http").ServerResponse} res
 */
export function sendStream(source, res) {
  pipeline(source, res, (err) => {
    if (err && !res.destroyed) res.destroy();
  });
}

/** stat() that answers null where nothing (or nothing reachable) is. */
async function statOrNull(file) {
  try {
    return await stat(file);
  } catch {
    return null;
  }
}

/** The file a path names: itself, its index.html when a directory, or `<path>.html`. */
async function findFile(dir, segments) {
  let file = path.join(dir, ...segments);
  // pathSegments already refused "..": this checks the joined path itself, in case.
  const rel = path.relative(dir, file);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return null;
  const found = await statOrNull(file);
  if (found?.isDirectory()) file = path.join(file, "index.html");
  else if (!found && segments.length > 0) file += ".html";
  return (await statOrNull(file))?.isFile() ? file : null;
}

/**
 * @typedef {object} StaticOptions
 * @property {string} root the folder served at "/"
 * @property {Record<string, string>} [mounts] a first path segment served from another folder,
 *   e.g. { "shared-data": "/work/shared/data" } serves /shared-data/x.csv from there
 * @property {(file: string | null) => Record<string, string>} [headersFor] headers of a response:
 *   file is the absolute path served (the 404 page included), or null for an error answer
 */

/**
 * A request handler for node:http that serves files under `root` and never throws.
 * 400 bad path, 404 (root/404.html when there is one), 405 with Allow for other methods,
 * 500 if a file cannot be opened; HEAD answers GET's headers without the body.
 * @param {StaticOptions} options
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void}
 */
export function createStaticHandler({ root, mounts = {}, headersFor = () => ({}) }) {
  const rootDir = path.resolve(root);
  const plain = (res, status, text, extra = {}) =>
    res
      .writeHead(status, {
        ...headersFor(null),
        ...extra,
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Length": Buffer.byteLength(text),
      })
      .end(text);

  async function sendFile(req, res, status, file) {
    let handle;
    try {
      handle = await open(file, "r");
      const { size } = await handle.stat();
      res.writeHead(status, {
        ...headersFor(file),
        "Content-Type": CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
        "Content-Length": size,
      });
    } catch {
      await handle?.close().catch(() => {});
      plain(res, 500, "could not read the file");
      return;
    }
    if (req.method === "HEAD") {
      await handle.close().catch(() => {});
      res.end();
    } else sendStream(handle.createReadStream(), res);
  }

  async function handle(req, res) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      plain(res, 405, "method not allowed", { Allow: ALLOWED_METHODS });
      return;
    }
    const segments = pathSegments(req.url ?? "/");
    if (!segments) {
      plain(res, 400, "bad request path");
      return;
    }
    const mounted = segments.length > 0 && Object.hasOwn(mounts, segments[0]) ? mounts[segments[0]] : undefined;
    const file = mounted ? await findFile(mounted, segments.slice(1)) : await findFile(rootDir, segments);
    if (file) return sendFile(req, res, 200, file);
    const notFound = path.join(rootDir, "404.html");
    if ((await statOrNull(notFound))?.isFile()) return sendFile(req, res, 404, notFound);
    plain(res, 404, "not found");
  }

  return (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) plain(res, 500, "internal error");
      else res.destroy();
    });
  };
}
