/**
 * Wrong JSON, structurally: a random node of a parsed document (found by a random walk from the
 * root) replaced with a value of another type or an out-of-range one, deleted, or given an
 * unknown sibling key.
 */
import type { Rng } from "./harness";

const WRONG_VALUES: (() => unknown)[] = [
  () => null,
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
  () => -0.000001,
  () => 1e308,
  () => -1e308,
  () => 2 ** 53 + 2,
  () => 4_294_967_297,
  () => "",
  () => "4",
  () => "x".repeat(10_000),
  () => "../../etc/passwd",
  () => "javascript:alert(1)",
  () => "\u0000\u202e",
  () => [],
  () => [1, "a", null],
  () => Array.from({ length: 5000 }, () => 1),
  () => ({}),
  () => ({ a: 1 }),
  () => JSON.parse('{"__proto__": {"polluted": 1}}'),
  () => nested(2000),
];

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => typeof v === "object" && v !== null;

/** A deep copy of `doc` with one node made wrong; `path` says which. */
export function mutateJson(doc: unknown, rng: Rng): { path: string; value: unknown } {
  const root = structuredClone(doc);
  if (!isContainer(root)) return { path: "(root)", value: rng.pick(WRONG_VALUES)() };
  let parent: Container = root;
  let key: string | number = pickKey(root, rng);
  let path = `${key}`;
  // Walk down while the child is a non-empty container, stopping at each level with p = 0.3.
  for (;;) {
    const child = (parent as Record<string | number, unknown>)[key];
    if (!isContainer(child) || Object.keys(child).length === 0 || rng.chance(0.3)) break;
    parent = child;
    key = pickKey(child, rng);
    path += `.${key}`;
  }
  const p = parent as Record<string | number, unknown>;
  const how = Array.isArray(parent) ? "replaced" : rng.pick(["deleted", "sibling added", ...Array(8).fill("replaced")]);
  if (how === "deleted") delete p[key];
  else if (how === "sibling added") p[`unknown_${rng.int(100)}`] = rng.pick(WRONG_VALUES)();
  else p[key] = rng.pick(WRONG_VALUES)();
  return { path: `${path} (${how})`, value: root };
}

function pickKey(c: Container, rng: Rng): string | number {
  if (Array.isArray(c)) return c.length ? rng.int(c.length) : 0;
  const keys = Object.keys(c);
  return keys.length ? rng.pick(keys) : "k";
}
