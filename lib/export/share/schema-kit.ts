/**
 * A tiny hand-written validator kit (no dependency): each `Check<T>` takes an unknown value and
 * returns a fresh, typed copy or throws `SchemaError` with the path of the first problem.
 *
 * Why fresh copies: the output never shares objects with attacker-controlled input, only keys the
 * schema names are read (`__proto__`, `constructor` and friends are never assigned), and in
 * "strip" mode the same schema doubles as the encoder's whitelist.
 */

/** "reject": unknown object keys are an error (decoding). "strip": they are dropped (encoding). */
export type UnknownKeys = "reject" | "strip";

export type Check<T> = (value: unknown, path: string, mode: UnknownKeys) => T;

export class SchemaError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path || "(root)"}: ${problem}`);
    this.name = "SchemaError";
  }
}

/**
 * Strings shown in a read-only dashboard: letters, digits and a little punctuation; no quotes,
 * angle brackets, backslashes or control characters.
 */
export const SAFE_TEXT = /^[\w .,:;()[\]/+\-%#=@]*$/;
/** `text` with every character outside SAFE_TEXT replaced by "-" (e.g. a user's run name). */
export function toSafeText(text: string): string {
  return text.replace(/[^\w .,:;()[\]/+\-%#=@]/g, "-");
}
/** Identifiers (model ids, param keys, feature names). */
export const SAFE_ID = /^[A-Za-z0-9_.\-]+$/;

export interface NumOpts {
  min: number;
  max: number;
  int?: boolean;
}

/** A finite number in [min, max] (an integer when `int`). */
export function num(o: NumOpts): Check<number> {
  return (v, path) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new SchemaError(path, "expected a finite number");
    if (o.int && !Number.isInteger(v)) throw new SchemaError(path, "expected an integer");
    if (v < o.min || v > o.max) throw new SchemaError(path, `number out of range [${o.min}, ${o.max}]`);
    return v;
  };
}

export function str(o: { max: number; min?: number; pattern?: RegExp }): Check<string> {
  const pattern = o.pattern ?? SAFE_TEXT;
  return (v, path) => {
    if (typeof v !== "string") throw new SchemaError(path, "expected a string");
    if (v.length > o.max || v.length < (o.min ?? 0))
      throw new SchemaError(path, `string length outside [${o.min ?? 0}, ${o.max}]`);
    if (!pattern.test(v)) throw new SchemaError(path, "string has characters outside the safe set");
    return v;
  };
}

export const bool: Check<boolean> = (v, path) => {
  if (typeof v !== "boolean") throw new SchemaError(path, "expected a boolean");
  return v;
};

/** One of the given literal strings or numbers. */
export function lit<const L extends string | number>(...values: L[]): Check<L> {
  return (v, path) => {
    if (!(values as unknown[]).includes(v)) throw new SchemaError(path, `expected one of ${values.join(", ")}`);
    return v as L;
  };
}

export function nullable<T>(inner: Check<T>): Check<T | null> {
  return (v, path, mode) => (v === null ? null : inner(v, path, mode));
}

/** An array of `min`..`max` items, each checked. */
export function arr<T>(item: Check<T>, o: { min?: number; max: number }): Check<T[]> {
  return (v, path, mode) => {
    if (!Array.isArray(v)) throw new SchemaError(path, "expected an array");
    if (v.length > o.max || v.length < (o.min ?? 0))
      throw new SchemaError(path, `array length outside [${o.min ?? 0}, ${o.max}]`);
    const out: T[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = item(v[i], `${path}[${i}]`, mode);
    return out;
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function own(o: Record<string, unknown>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

type Shape = Record<string, Check<unknown>>;
type Out<C> = C extends Check<infer T> ? T : never;
type ObjOut<R extends Shape, O extends Shape> = { [K in keyof R]: Out<R[K]> } & { [K in keyof O]?: Out<O[K]> };

/**
 * An object with `required` keys and `optional` keys (absent or undefined → omitted from output).
 * Unknown keys are rejected or stripped according to the mode.
 */
export function obj<R extends Shape, O extends Shape = Record<never, never>>(
  required: R,
  optional?: O,
): Check<ObjOut<R, O>> {
  const opt = (optional ?? {}) as Shape;
  const known = new Set([...Object.keys(required), ...Object.keys(opt)]);
  return (v, path, mode) => {
    if (!isPlainObject(v)) throw new SchemaError(path, "expected an object");
    if (mode === "reject") {
      for (const k of Object.keys(v))
        if (!known.has(k)) throw new SchemaError(path, `unknown field "${k.slice(0, 40)}"`);
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(required)) {
      if (!own(v, k) || v[k] === undefined) throw new SchemaError(path ? `${path}.${k}` : k, "missing");
      out[k] = required[k](v[k], path ? `${path}.${k}` : k, mode);
    }
    for (const k of Object.keys(opt)) {
      if (own(v, k) && v[k] !== undefined) out[k] = opt[k](v[k], path ? `${path}.${k}` : k, mode);
    }
    return out as ObjOut<R, O>;
  };
}

/**
 * A string-keyed map with at most `maxKeys` entries; keys must match SAFE_ID, be at most
 * `maxKeyLength` long and not be "__proto__", "constructor" or "prototype" (they match SAFE_ID,
 * so they are refused explicitly). Built with Object.fromEntries, which defines own properties.
 */
export function record<T>(value: Check<T>, o: { maxKeys: number; maxKeyLength: number }): Check<Record<string, T>> {
  return (v, path, mode) => {
    if (!isPlainObject(v)) throw new SchemaError(path, "expected an object");
    const keys = Object.keys(v);
    if (keys.length > o.maxKeys) throw new SchemaError(path, `more than ${o.maxKeys} entries`);
    const entries: [string, T][] = [];
    for (const k of keys) {
      if (k.length > o.maxKeyLength || !SAFE_ID.test(k) || FORBIDDEN_KEYS.has(k))
        throw new SchemaError(path, `bad key "${k.slice(0, 40)}"`);
      entries.push([k, value(v[k], `${path}.${k}`, mode)]);
    }
    return Object.fromEntries(entries);
  };
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Runs `check` and returns a result instead of throwing. */
export function run<T>(
  check: Check<T>,
  value: unknown,
  mode: UnknownKeys,
): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: check(value, "", mode) };
  } catch (e) {
    if (e instanceof SchemaError) return { ok: false, error: e.message };
    return { ok: false, error: `invalid: ${e instanceof Error ? e.message : String(e)}` };
  }
}
