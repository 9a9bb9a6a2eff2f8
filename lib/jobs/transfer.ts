import * as Comlink from "comlink";

/**
 * The ArrayBuffers under `views`, ready for a postMessage transfer list: each buffer once (a
 * buffer listed twice makes postMessage throw a DataCloneError) and no SharedArrayBuffer (it is
 * shared, never transferred; listing one throws too).
 */
export function transferables(views: readonly (ArrayBufferView | ArrayBuffer | undefined)[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views) {
    if (!v) continue;
    const buffer = ArrayBuffer.isView(v) ? v.buffer : v;
    if (typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer) continue;
    out.add(buffer as ArrayBuffer);
  }
  return [...out];
}

/**
 * Marks `value`'s arrays for transfer through Comlink: they move to the other side instead of
 * being copied, and become unusable (length 0) here. Use for results a worker sends back and for
 * requests the page no longer needs.
 */
export function withTransfer<T>(value: T, views: readonly (ArrayBufferView | ArrayBuffer | undefined)[]): T {
  return Comlink.transfer(value, transferables(views));
}
