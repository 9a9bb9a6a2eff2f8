import { connect } from "node:net";

/** A response as read off the socket. */
export interface RawResponse {
  /** Status code, or 0 when the server closed without answering. */
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request exactly as written (no URL normalisation: fetch and http.request would turn
 * "/%2e%2e/" into "/" or refuse a NUL) and reads the answer until the server closes.
 * @param port loopback port
 * @param target the request target, sent verbatim, e.g. "/%E0%A4%A"
 * @param method e.g. "GET"
 */
export function rawRequest(port: number, target: string, method = "GET"): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      const head = split < 0 ? text : text.slice(0, split);
      const [statusLine, ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? "")?.[1] ?? 0),
        headers,
        body: split < 0 ? "" : text.slice(split + 4),
      });
    });
    socket.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}
