import { describe, expect, it } from "vitest";
import { deflateSync } from "fflate";
import { fnv1a32 } from "../hash";
import { toBase64Url, fromBase64Url } from "./base64url";
import { decodeSharedRun, encodeSharedRun, shareUrl, toShareable } from "./codec";
import { mulberry32 } from "@/lib/core/random";
import { realisticRun } from "@/test/shared-run";
import { legacyVerdict } from "@/lib/run/verdict";
import { validateSharedRun } from "./validate";
import type { SharedRun } from "./types";
import type { RunSummary } from "@/lib/run/types";

/**
 * Builds a payload from arbitrary JSON text the way the version-1 encoder did (valid checksum):
 * links made by older studios, which still open.
 */
function forge(json: string, version = 1): string {
  const bytes = new TextEncoder().encode(json);
  const packed = deflateSync(bytes);
  const out = new Uint8Array(4 + packed.length);
  new DataView(out.buffer).setUint32(0, fnv1a32(bytes), false);
  out.set(packed, 4);
  return `v${version}.${toBase64Url(out)}`;
}

describe("base64url", () => {
  it("round-trips every length and rejects foreign characters", () => {
    const rnd = mulberry32(3);
    for (let n = 0; n < 40; n++) {
      const b = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
      expect(Array.from(fromBase64Url(toBase64Url(b))!)).toEqual(Array.from(b));
    }
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe("-_8");
    expect(fromBase64Url("ab+c")).toBeNull();
    expect(fromBase64Url("abcde")).toBeNull();
  });
});

describe("share link", () => {
  it("round-trips a realistic run, rounded to 4 significant digits, under 8 KB", () => {
    const run = realisticRun(7);
    const url = shareUrl("https://studio.example/share?x=1#old", run);
    expect(url.startsWith("https://studio.example/share?x=1#run=v2.")).toBe(true);
    expect(url.length).toBeLessThan(8192);
    const back = decodeSharedRun(url);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.run).toEqual(toShareable(run));
    expect(back.run.results[0].metrics.accuracy).toBeCloseTo(run.results[0].metrics.accuracy, 3);
    expect(back.run.backtest!.equity.length).toBe(200);
  });

  it("never carries fields outside the whitelist", () => {
    const run = { ...realisticRun(2), apiKey: "SECRET-KEY", matrix: [1, 2, 3] } as RunSummary;
    (run.config as unknown as Record<string, unknown>).binanceSecret = "SECRET-2";
    const link = encodeSharedRun(run);
    const back = decodeSharedRun(link);
    expect(back.ok).toBe(true);
    const text = JSON.stringify(back.ok ? back.run : {});
    expect(text).not.toContain("SECRET");
    expect(text).not.toContain("matrix");
  });

  it("refuses to encode an invalid run with the field path", () => {
    const run = realisticRun(1);
    run.results[0].metrics.accuracy = 1.5;
    expect(() => encodeSharedRun(run)).toThrow(/results\[0\]\.metrics\.accuracy/);
  });

  it("gives a clear error per failure kind", () => {
    const link = encodeSharedRun(realisticRun(1));
    const kind = (s: string) => {
      const r = decodeSharedRun(s);
      return r.ok ? "ok" : r.kind;
    };
    expect(kind("")).toBe("empty");
    expect(kind("https://x/#other=1")).toBe("not-a-run-link");
    expect(kind("#run=hello")).toBe("not-a-run-link");
    expect(kind(link.replace(/^v2\./, "v3."))).toBe("wrong-version");
    expect(kind(link.slice(0, link.length - 200))).toBe("truncated");
    expect(kind(link.slice(0, 5))).toBe("truncated");
    expect(kind(link + "!")).toBe("encoding");
    expect(kind("v1." + "A".repeat(20_000))).toBe("too-large");
    // One changed character in the middle: checksum or inflate must catch it.
    const mid = Math.floor(link.length / 2);
    const flipped = link.slice(0, mid) + (link[mid] === "A" ? "B" : "A") + link.slice(mid + 1);
    expect(["tampered", "truncated"]).toContain(kind(flipped));
    // A zip bomb: 10 MB of zeros deflates to ~10 KB.
    expect(kind(forge(JSON.stringify({ v: 1, pad: "0".repeat(2_000_000) })))).toBe("too-large");
    // Valid checksum but wrong content.
    expect(kind(forge("[1,2,3]"))).toBe("invalid");
    expect(kind(forge(JSON.stringify({ v: 3 })))).toBe("wrong-version");
    const msg = decodeSharedRun(link.slice(0, link.length - 200));
    expect(!msg.ok && msg.error).toMatch(/incomplete/);
  });

  it("rejects unknown fields and prototype keys on decode", () => {
    const good = toShareable(realisticRun(1));
    const withProto = JSON.stringify(good).replace('{"v":2,', '{"v":2,"__proto__":{"polluted":true},');
    const r = decodeSharedRun(forge(withProto));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/unknown field "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const params = JSON.stringify(good).replace('"params":{', '"params":{"__proto__":1,');
    const r2 = decodeSharedRun(forge(params));
    expect(!r2.ok && r2.error).toMatch(/bad key "__proto__"/);
    expect(decodeSharedRun(forge(JSON.stringify({ ...good, extra: 1 }))).ok).toBe(false);
    expect(decodeSharedRun(forge(JSON.stringify(good))).ok).toBe(true);
  });

  it("checks ranges, lengths, charset and cross-field rules", () => {
    const bad = (mutate: (r: SharedRun) => void) => {
      const r = structuredClone(toShareable(realisticRun(1)));
      mutate(r);
      return validateSharedRun(JSON.parse(JSON.stringify(r))).ok;
    };
    expect(bad(() => {})).toBe(true);
    expect(bad((r) => (r.config.symbol = "<script>"))).toBe(false);
    expect(bad((r) => (r.title = 'a"b'))).toBe(false);
    expect(bad((r) => (r.results[0].confusion[0] = [1, 2, 3]))).toBe(false);
    expect(bad((r) => (r.results[0].confusion[0][0] = -1))).toBe(false);
    expect(bad((r) => (r.results[0].confusion[0][0] = 1.5))).toBe(false);
    expect(bad((r) => (r.backtest!.equity = r.backtest!.equity.concat(r.backtest!.equity)))).toBe(false);
    expect(bad((r) => r.backtest!.buyHold.pop())).toBe(false);
    expect(bad((r) => r.results[0].curve!.loss.pop())).toBe(false);
    expect(bad((r) => (r.config.end = r.config.start - 1))).toBe(false);
    expect(bad((r) => (r.config.baseInterval = "7h" as never))).toBe(false);
    expect(bad((r) => r.importances.push(...r.importances))).toBe(false);
    expect(bad((r) => (r.results[1].id = r.results[0].id))).toBe(false);
    expect(bad((r) => (r.results[0].metrics.logLoss = null))).toBe(true);
  });
});

describe("a damaged link says how it was damaged", () => {
  const link = encodeSharedRun(realisticRun(4));
  const kind = (x: string) => {
    const r = decodeSharedRun(x);
    return r.ok ? "ok" : r.kind;
  };
  const ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  it("a link cut anywhere after its version is reported as cut off, every time", () => {
    const kinds = new Set<string>();
    for (let at = 3; at < link.length; at++) kinds.add(kind(link.slice(0, at)));
    expect([...kinds]).toEqual(["truncated"]);
  });

  it("a link with a few characters changed or added is reported as altered, never as cut off", () => {
    const rnd = mulberry32(17);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 600; i++) {
      const chars = link.split("");
      for (let k = 1 + (i % 3); k > 0; k--) {
        const at = 3 + Math.floor(rnd() * (chars.length - 3));
        if (i % 2) chars.splice(at, 0, ALPHA[Math.floor(rnd() * 64)]);
        else {
          let c = chars[at];
          while (c === chars[at]) c = ALPHA[Math.floor(rnd() * 64)];
          chars[at] = c;
        }
      }
      const r = kind(chars.join(""));
      counts[r] = (counts[r] ?? 0) + 1;
    }
    expect(counts).toEqual({ tampered: 600 });
  });

  it("a link missing characters in the middle is reported as incomplete, with what is missing", () => {
    const r = decodeSharedRun(link.slice(0, 100) + link.slice(104));
    expect(!r.ok && r.kind).toBe("truncated");
    expect(!r.ok && r.error).toMatch(/incomplete.*\(\d+ of \d+ bytes\)/);
  });

  it("the one-character change in the header or in its last character is caught too", () => {
    for (const at of [3, 4, 10, link.length - 1]) {
      const changed = link.slice(0, at) + (link[at] === "A" ? "B" : "A") + link.slice(at + 1);
      expect(kind(changed), `character ${at}`).toBe("tampered");
    }
    const msg = decodeSharedRun(link.slice(0, 40) + (link[40] === "A" ? "B" : "A") + link.slice(41));
    expect(!msg.ok && msg.error).toMatch(/altered/);
  });

  it("links made by the previous version (v1) still open, completed with the verdict of their metrics", () => {
    const current = toShareable(realisticRun(6));
    const { verdict: _verdict, uncertainty: _uncertainty, ensemble, ...rest } = current;
    const v1 = {
      ...rest,
      v: 1,
      ensemble: { weights: ensemble.weights, learned: ensemble.learned },
      backtest: { ...current.backtest!, winRate: current.backtest!.winRate ?? 0 },
    };
    const r = decodeSharedRun(`#run=${forge(JSON.stringify(v1))}`);
    if (!r.ok) throw new Error(r.error);
    expect(r.run.v).toBe(2);
    expect(r.run.verdict).toEqual(legacyVerdict(r.run.results));
    expect(r.run.results).toEqual(current.results);
    expect(r.run.ensemble.estimatedAccuracy).toBeCloseTo(current.ensemble.estimatedAccuracy!, 3);
  });

  it("version-2 content made before the bootstrap (one noise band) still reads, its calls unchanged", () => {
    const current = toShareable(realisticRun(3));
    const { uncertainty: _uncertainty, ...rest } = current;
    const old = {
      ...rest,
      verdict: current.verdict.map((v) => ({
        metric: v.metric,
        best: v.best,
        noise: 0.02,
        rows: v.rows.map((r) => ({ id: r.id, label: r.label, value: r.value, gap: r.gap, clear: r.clear })),
      })),
    };
    const r = validateSharedRun(old);
    if (!r.ok) throw new Error(r.error);
    for (const [i, v] of r.run.verdict.entries()) {
      expect(v.method).toBe("independent-binomial");
      expect(v.noise).toBe(0.02);
      expect(v.rows.map((x) => x.clear)).toEqual(current.verdict[i].rows.map((x) => x.clear));
      expect(v.rows[0].interval[0]).toBeCloseTo(v.rows[0].gap - 0.02, 12);
    }
  });

  it("a link from a newer version says so", () => {
    const r = decodeSharedRun(link.replace(/^v2\./, "v3."));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/newer version/);
  });
});

describe("share text never carries a script URL", () => {
  const bad = (title: string) => {
    const r = structuredClone(toShareable(realisticRun(1)));
    r.title = title;
    return validateSharedRun(JSON.parse(JSON.stringify(r))).ok;
  };

  it("rejects javascript:, vbscript:, livescript: and data: URLs with a media type, in any case", () => {
    for (const t of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "see javascript :alert(1)",
      "vbscript:msgbox(1)",
      "livescript:x",
      "data:text/html;base64,PHNjcmlwdD4",
      "DATA: image/svg+xml,x",
    ])
      expect(bad(t), t).toBe(false);
    for (const t of ["BTCUSDT 1h, 2022-2024", "new data: 4h run", "java script", "ratio 1:2 (test)"])
      expect(bad(t), t).toBe(true);
    const r = structuredClone(toShareable(realisticRun(1)));
    r.results[0].label = "javascript:void(0)";
    const checked = validateSharedRun(r);
    expect(!checked.ok && checked.error).toBe(
      "results[0].label: string holds a script URL (javascript:, vbscript:, data:...)",
    );
  });

  it("a run named like a script URL is shared under a safe title", () => {
    const link = encodeSharedRun({ ...realisticRun(1), title: "javascript:alert(document.domain)" });
    const r = decodeSharedRun(link);
    expect(r.ok && r.run.title).toBe("javascript-alert(document.domain)");
  });
});

describe("share link fuzz", () => {
  const ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  it("1,500 mutated links: nothing throws, every result is a valid run or an error message", () => {
    const rnd = mulberry32(99);
    const link = encodeSharedRun(realisticRun(5));
    const good = toShareable(realisticRun(5));
    const json = JSON.stringify(good);
    const bytes = fromBase64Url(link.slice(3))!;
    const pick = <T>(s: ArrayLike<T>): T => s[Math.floor(rnd() * s.length)];
    const mutations: (() => string)[] = [
      () => {
        const b = bytes.slice();
        for (let k = 1 + Math.floor(rnd() * 4); k > 0; k--)
          b[Math.floor(rnd() * b.length)] ^= 1 << Math.floor(rnd() * 8);
        return "v2." + toBase64Url(b);
      },
      () => link.slice(0, Math.floor(rnd() * link.length)),
      () => {
        const at = Math.floor(rnd() * link.length);
        return (
          link.slice(0, at) +
          Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => pick(ALPHA)).join("") +
          link.slice(at)
        );
      },
      () => "v1." + Array.from({ length: Math.floor(rnd() * 3000) }, () => pick(ALPHA)).join(""),
      () =>
        "#run=" +
        Array.from({ length: Math.floor(rnd() * 200) }, () => String.fromCharCode(Math.floor(rnd() * 0x3000))).join(""),
      // Valid checksums over mutated JSON: the schema is the last line of defence.
      () =>
        forge(
          json.replace(/\d+(\.\d+)?/, () =>
            pick(["1e308", "-1e308", "1e999", "NaN", "-0", "99999999999999999999", "0.5"]),
          ),
        ),
      () => {
        const at = Math.floor(rnd() * json.length);
        return forge(
          json.slice(0, at) +
            pick(['"__proto__":{"x":1},', '"constructor":{"prototype":{"y":1}},', "[", "]", "{", '"', "null,", "1"]) +
            json.slice(at),
        );
      },
      () => {
        const r = structuredClone(good) as unknown as Record<string, unknown>;
        const keys = Object.keys(r);
        r[keys[Math.floor(rnd() * keys.length)]] = pick(["x", "", "__proto__"]) || null;
        return forge(JSON.stringify(r));
      },
      () =>
        forge(json.replace(/"[A-Za-z]+"/, () => JSON.stringify("\u0000<img src=x>".repeat(1 + Math.floor(rnd() * 3))))),
    ];
    let ok = 0;
    let errors = 0;
    for (let i = 0; i < 1500; i++) {
      const input = mutations[i % mutations.length]();
      let r: ReturnType<typeof decodeSharedRun>;
      expect(() => (r = decodeSharedRun(input))).not.toThrow();
      r = decodeSharedRun(input);
      if (r.ok) {
        ok++;
        // An accepted run must re-validate and re-encode.
        expect(validateSharedRun(r.run).ok).toBe(true);
        expect(() => encodeSharedRun(r.ok ? r.run : good)).not.toThrow();
      } else {
        errors++;
        expect(typeof r.error).toBe("string");
        expect(r.error.length).toBeGreaterThan(10);
      }
    }
    expect(ok + errors).toBe(1500);
    expect(errors).toBeGreaterThan(1000);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).y).toBeUndefined();
  });
});
