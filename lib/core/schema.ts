/**
 * Building blocks of the valibot schemas that describe every shape crossing a boundary (records
 * read back from IndexedDB, bundle manifests, share links), and the one way a failed parse is
 * worded: the path of the first problem, then what is wrong ("results[0].metrics.accuracy:
 * number out of range [0, 1]"). Pure: runs in the page, workers and Node tests alike.
 */
import * as v from "valibot";
import { INTERVALS } from "./intervals";

/** A schema of any kind whose output is `T` (valibot's GenericSchema, for annotations). */
export type Schema<T> = v.GenericSchema<unknown, T>;

/**
 * Characters allowed in text shown by a read-only dashboard or written into a bundle: letters,
 * digits and a little punctuation; no quotes, angle brackets, backslashes or control characters.
 */
const SAFE_TEXT_CHARS = /^[\w .,:;()[\]/+\-%#=@]*$/;
/**
 * URL schemes that run code or render a page when a link is followed: javascript:, vbscript:,
 * livescript: and data: URLs with a media type (data:text/html, data:image/svg+xml, ...). The
 * safe character set above lets "javascript:alert(1)" through (issue 17 item 14), so text is
 * refused when it holds one anywhere: no link built from shared data can ever carry one.
 */
const SCRIPT_SCHEME = /(?:java|vb|live)script\s*:|data\s*:\s*[a-z]+\/[a-z0-9.+-]+/i;

/** True when `text` uses only the safe character set and holds no script-ish URL scheme. */
export function isSafeText(text: string): boolean {
  return SAFE_TEXT_CHARS.test(text) && !SCRIPT_SCHEME.test(text);
}

/** `text` made safe: characters outside the set become "-", and so does a script scheme's colon. */
export function toSafeText(text: string): string {
  const chars = text.replace(/[^\w .,:;()[\]/+\-%#=@]/g, "-");
  return chars.replace(new RegExp(SCRIPT_SCHEME.source, "gi"), (m) => m.replace(/:/g, "-"));
}

/** Identifiers (model ids, param keys, feature names). */
export const SAFE_ID = /^[A-Za-z0-9_.\-]+$/;

/** Keys never accepted in a map read from outside (they match SAFE_ID, so they are named). */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A finite number, optionally an integer and inside [min, max]. */
export function finite(o: { min?: number; max?: number; int?: boolean } = {}): Schema<number> {
  const { min = -Infinity, max = Infinity, int = false } = o;
  return v.pipe(
    v.custom<number>((x) => typeof x === "number" && Number.isFinite(x), "expected a finite number"),
    v.check((x) => !int || Number.isInteger(x), "expected an integer"),
    v.check((x) => x >= min && x <= max, `number out of range [${min}, ${max}]`),
  );
}

/** A count: a finite integer >= 0. */
export const count = finite({ min: 0, int: true });

/**
 * A computed figure as stored: any number, NaN and ±Infinity included (a win rate with no
 * trade, a validation loss that went NaN), so storing a degenerate run never fails.
 */
export const figure: Schema<number> = v.custom<number>((x) => typeof x === "number", "expected a number");

/** A string of at most `max` characters (any characters: stored text is shown as text). */
export function text(max = 10_000, min = 0): Schema<string> {
  return v.pipe(
    v.string("expected a string"),
    v.check((s) => s.length >= min && s.length <= max, `string length outside [${min}, ${max}]`),
  );
}

/** A string of `min`..`max` characters matching `pattern` (default: the safe text set, no script schemes). */
export function safeText(o: { max: number; min?: number; pattern?: RegExp }): Schema<string> {
  const { pattern } = o;
  if (pattern)
    return v.pipe(
      text(o.max, o.min ?? 0),
      v.check((s) => pattern.test(s), "string has characters outside the allowed set"),
    );
  return v.pipe(
    text(o.max, o.min ?? 0),
    v.check((s) => SAFE_TEXT_CHARS.test(s), "string has characters outside the safe set"),
    v.check((s) => !SCRIPT_SCHEME.test(s), "string holds a script URL (javascript:, vbscript:, data:...)"),
  );
}

/** An array of `min`..`max` items, each checked. */
export function arrayOf<T extends v.GenericSchema>(item: T, o: { min?: number; max: number }) {
  const min = o.min ?? 0;
  return v.pipe(
    v.array(item, "expected an array"),
    v.check((a) => a.length >= min && a.length <= o.max, `array length outside [${min}, ${o.max}]`),
  );
}

/** An identifier of 1..`max` characters (SAFE_ID). */
export const safeId = (max = 40) => safeText({ min: 1, max, pattern: SAFE_ID });

export const intervalSchema = v.picklist(INTERVALS, "not a known interval");

/**
 * A typed array (or ArrayBuffer) of exactly this class, shared as is (IndexedDB clones them).
 * `T` names the instance type as the interfaces spell it (Float32Array, not Float32Array<ArrayBuffer>).
 */
export function typedArray<T extends object>(ctor: abstract new (...args: never[]) => T, name: string): Schema<T> {
  return v.custom<T>((x) => x instanceof ctor, `not a ${name}`);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Any plain object (e.g. a tfjs model topology, which tfjs itself checks). */
export const plainObject = v.custom<object>(isPlainObject, "expected an object");

/**
 * An object with exactly these entries: a key it does not name is an error. Valibot's own
 * strictObject does this; the message is worded like the rest ("unknown field \"x\"").
 */
export function strictObj<const E extends v.ObjectEntries>(entries: E) {
  return v.strictObject(entries, (issue) =>
    issue.expected === "never"
      ? `unknown field "${String(issue.input).slice(0, 40)}"`
      : isMissingKey(issue)
        ? "missing"
        : `expected an object, got ${issue.received}`,
  );
}

/**
 * A string-keyed map with at most `maxKeys` entries whose keys match SAFE_ID and are at most
 * `maxKeyLength` long. "__proto__", "constructor" and "prototype" are refused by name: valibot's
 * record skips them silently, which would hide a hostile input instead of rejecting it.
 */
export function safeRecord<T>(value: Schema<T>, o: { maxKeys: number; maxKeyLength: number }) {
  return v.pipe(
    v.custom<Record<string, unknown>>(isPlainObject, "expected an object"),
    v.rawCheck<Record<string, unknown>>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const keys = Object.keys(dataset.value);
      if (keys.length > o.maxKeys) return addIssue({ message: `more than ${o.maxKeys} entries` });
      const bad = keys.find((k) => k.length > o.maxKeyLength || !SAFE_ID.test(k) || FORBIDDEN_KEYS.has(k));
      if (bad !== undefined) addIssue({ message: `bad key "${bad.slice(0, 40)}"` });
    }),
    v.record(v.string(), value),
  );
}

/** A map with any string keys (stored data of our own: model ids, class names), values checked. */
export function textRecord<T>(value: Schema<T>) {
  return safeRecord(value, { maxKeys: 10_000, maxKeyLength: 200 });
}

/**
 * A check over an already-typed value: `problem` returns what is wrong, or null. It runs only when
 * the value passed its schema (valibot runs raw checks on failed values too).
 */
export function refine<T>(problem: (value: T) => string | null) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const p = problem(dataset.value);
    if (p !== null) addIssue({ message: p });
  });
}

/** An object's issue for a required key it lacks (the key is the last item of its path). */
function isMissingKey(issue: v.BaseIssue<unknown>): boolean {
  const last = issue.path?.[issue.path.length - 1] as { origin?: string } | undefined;
  return issue.kind === "schema" && last?.origin === "key" && issue.expected !== "never";
}

/** Where an issue happened, as a path continuing `prefix`: results[0].metrics.accuracy. */
function pathOf(issue: v.BaseIssue<unknown>, prefix = ""): string {
  let out = prefix;
  for (const item of issue.path ?? []) {
    // An unknown key is named in the message, not in the path.
    if ((item as { origin?: string }).origin === "key" && issue.expected === "never") continue;
    const key = item.key;
    out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * One sentence for an issue: "path: problem". A union's issue says why its first option failed
 * (its nested issues' paths continue the union's own).
 */
export function describeIssue(issue: v.BaseIssue<unknown>, prefix = ""): string {
  const path = pathOf(issue, prefix);
  const nested = issue.issues?.[0];
  if (nested) return describeIssue(nested, path);
  // Plain v.object words a missing key as valibot's "Invalid key: Expected …": say it plainly.
  if (isMissingKey(issue)) return `${path || "(root)"}: missing`;
  // Valibot's own wording ("Invalid type: Expected boolean but received "xxx…"") quotes the
  // input whole, however long (the fuzzer found 3 KB messages): name the kind of input instead.
  const message = issue.message.startsWith("Invalid ")
    ? `expected ${issue.expected ?? "another value"}, got ${kindOf(issue.input)}`
    : issue.message;
  return `${path || "(root)"}: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}`;
}

/** What an unexpected input is, in a few words ("a string of 3,000 characters", "an array"). */
function kindOf(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === "string") return x.length <= 20 ? JSON.stringify(x) : `a string of ${x.length} characters`;
  if (typeof x === "number" || typeof x === "boolean") return String(x);
  return typeof x === "object" ? "an object" : `a ${typeof x}`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses `value` with `schema`, stopping at the first problem; never throws. */
export function parseWith<T>(schema: Schema<T>, value: unknown): Parsed<T> {
  try {
    const r = v.safeParse(schema, value, { abortEarly: true });
    return r.success ? { ok: true, value: r.output } : { ok: false, error: describeIssue(r.issues[0]) };
  } catch (e) {
    return { ok: false, error: `invalid: ${e instanceof Error ? e.message : String(e)}` };
  }
}
