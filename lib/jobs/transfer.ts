import * as Comlink from "comlink";
import { viewOn } from "../core/typed-views";

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

/**
 * A copy of `value` whose typed arrays and ArrayBuffers sit on fresh buffers, marked for transfer
 * through Comlink: the receiver gets them without a structured-clone copy on this thread, and
 * `value` stays usable here. Views that share a buffer (a forest's packed trees) share its copy.
 * A buffer is copied whole when its views cover at least half of it, otherwise each view alone
 * (a small view never drags a large buffer along). SharedArrayBuffers are kept as they are
 * (posting one shares it). Plain objects and arrays are walked; every other value is kept as is.
 */
export function transferCopy<T>(value: T): T {
  const { copy, transfer } = copyForTransfer(value);
  return Comlink.transfer(copy, transfer);
}

/** transferCopy's copy and the fresh buffers to transfer with it (each once). */
export function copyForTransfer<T>(value: T): { copy: T; transfer: ArrayBuffer[] } {
  const covered = new Map<ArrayBuffer, number>();
  const visit = (v: unknown): void => {
    if (v instanceof ArrayBuffer) covered.set(v, v.byteLength);
    else if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) covered.set(v.buffer, (covered.get(v.buffer) ?? 0) + v.byteLength);
    } else if (Array.isArray(v)) {
      for (const x of v) if (typeof x === "object" && x !== null) visit(x);
    } else if (isPlainObject(v)) for (const x of Object.values(v)) visit(x);
  };
  visit(value);
  const copies = new Map<ArrayBuffer, ArrayBuffer>();
  const moved: ArrayBuffer[] = [];
  const wholeCopy = (b: ArrayBuffer) => {
    let c = copies.get(b);
    if (!c) {
      c = b.slice(0);
      copies.set(b, c);
      moved.push(c);
    }
    return c;
  };
  const copy = (v: unknown): unknown => {
    if (v instanceof ArrayBuffer) return wholeCopy(v);
    if (ArrayBuffer.isView(v)) {
      const b = v.buffer;
      if (!(b instanceof ArrayBuffer)) return v;
      if (2 * (covered.get(b) ?? 0) >= b.byteLength) return viewOn(v, wholeCopy(b), v.byteOffset);
      const own = b.slice(v.byteOffset, v.byteOffset + v.byteLength);
      moved.push(own);
      return viewOn(v, own, 0);
    }
    if (Array.isArray(v)) return v.map((x) => (typeof x === "object" && x !== null ? copy(x) : x));
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]));
    return v;
  };
  return { copy: copy(value) as T, transfer: moved };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
