import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { finite, isSafeText, parseWith, safeRecord, strictObj, toSafeText } from "./schema";

describe("safe text", () => {
  it("keeps the safe character set and refuses script URL schemes anywhere in the text", () => {
    expect(isSafeText("BTCUSDT 1h (2022-2024), 70/15/15 #3")).toBe(true);
    expect(isSafeText("javascript:alert(1)")).toBe(false);
    expect(isSafeText("x VBScript:run")).toBe(false);
    expect(isSafeText("data:text/html,hi")).toBe(false);
    expect(isSafeText('a"b')).toBe(false);
    expect(isSafeText("new data: 4h")).toBe(true);
  });

  it("toSafeText makes any text pass isSafeText", () => {
    for (const t of [
      '<img src=x onerror="alert(1)">',
      "JAVASCRIPT:alert(1)",
      "data:image/svg+xml,<svg>",
      "é\u0000\n",
    ]) {
      const safe = toSafeText(t);
      expect(isSafeText(safe), safe).toBe(true);
    }
    expect(toSafeText("javascript:alert(1)")).toBe("javascript-alert(1)");
  });
});

describe("parse messages", () => {
  const schema = strictObj({
    results: v.array(strictObj({ id: v.string(), value: finite({ min: 0, max: 1 }) })),
    params: safeRecord(finite(), { maxKeys: 4, maxKeyLength: 10 }),
  });

  it("name the path of the first problem", () => {
    const bad = (x: unknown) => {
      const r = parseWith(schema, x);
      return r.ok ? "ok" : r.error;
    };
    expect(bad({ results: [{ id: "a", value: 0.5 }], params: {} })).toBe("ok");
    expect(
      bad({
        results: [
          { id: "a", value: 0.5 },
          { id: "b", value: 2 },
        ],
        params: {},
      }),
    ).toBe("results[1].value: number out of range [0, 1]");
    expect(bad({ results: [{ id: "a" }], params: {} })).toBe("results[0].value: missing");
    expect(bad({ results: [], params: {}, extra: 1 })).toBe('(root): unknown field "extra"');
    expect(bad({ results: [], params: JSON.parse('{"__proto__": 1}') })).toBe('params: bad key "__proto__"');
    expect(bad({ results: [], params: { a: NaN } })).toBe("params.a: expected a finite number");
  });
});

describe("messages for hostile input", () => {
  it("name the kind of a wrong input instead of quoting it whole (the fuzzer's 3 KB messages)", () => {
    const r = parseWith(v.object({ synthetic: v.boolean() }), { synthetic: "x".repeat(3000) });
    expect(r).toEqual({ ok: false, error: "synthetic: expected boolean, got a string of 3000 characters" });
    const missing = parseWith(v.object({ a: v.number() }), {});
    expect(missing).toEqual({ ok: false, error: "a: missing" });
  });
});
