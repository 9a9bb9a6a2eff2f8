/**
 * IndexedDB's structured clone refuses SharedArrayBuffers, and a forest the page shares with its
 * workers has its packed trees on them (lib/jobs/forest/pool.ts). Records pass here first.
 */
import { viewOn } from "../core/typed-views";

/**
 * `value` with every typed array on a SharedArrayBuffer copied onto a plain buffer: views of one
 * shared buffer onto one copy, at their offsets (a packed forest stays packed). Plain objects and
 * arrays are walked and rebuilt only where something changed; every other value is kept as is.
 */
export function storable<T>(value: T): T {
  const copies = new Map<SharedArrayBuffer, ArrayBuffer>();
  const plainCopy = (b: SharedArrayBuffer) => {
    let c = copies.get(b);
    if (!c) {
      c = new ArrayBuffer(b.byteLength);
      new Uint8Array(c).set(new Uint8Array(b));
      copies.set(b, c);
    }
    return c;
  };
  const walk = (v: unknown): unknown => {
    if (typeof SharedArrayBuffer === "undefined" || typeof v !== "object" || v === null) return v;
    if (v instanceof SharedArrayBuffer) return plainCopy(v);
    if (ArrayBuffer.isView(v)) {
      return v.buffer instanceof SharedArrayBuffer ? viewOn(v, plainCopy(v.buffer), v.byteOffset) : v;
    }
    if (Array.isArray(v)) {
      const out = v.map(walk);
      return out.some((x, i) => x !== v[i]) ? out : v;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v;
    const entries = Object.entries(v as Record<string, unknown>);
    const walked = entries.map(([k, x]) => [k, walk(x)] as const);
    return walked.some(([, x], i) => x !== entries[i][1]) ? Object.fromEntries(walked) : v;
  };
  return walk(value) as T;
}
