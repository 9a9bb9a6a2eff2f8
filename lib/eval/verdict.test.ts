import { describe, expect, it } from "vitest";
import { mulberry32 } from "../core/random";
import { bootstrapTestSequence } from "./uncertainty";
import { independentSampleVerdict, noiseBands, pairedVerdict, type VerdictRow } from "./verdict";
import { verdictSentence } from "./verdict-text";

const row = (id: string, kind: VerdictRow["kind"], accuracy: number, balancedAccuracy: number): VerdictRow => ({
  id,
  label: id,
  kind,
  metrics: { accuracy, balancedAccuracy },
});

describe("the old independent-sample verdict (summaries without per-sample data)", () => {
  const results = [
    row("transformer", "model", 0.355, 0.334),
    row("forest", "model", 0.438, 0.254),
    row("ensemble", "ensemble", 0.5, 0.3),
    row("majority", "baseline", 0.432, 0.25),
    row("previous_label", "baseline", 0.382, 0.264),
  ];
  const counts = [166, 1011, 1009, 156]; // 2,342 test samples

  it("noise bands: two binomial standard errors for accuracy, a chance classifier's for balanced accuracy", () => {
    const b = noiseBands(0.432, counts)!;
    // 2·√(0.432·0.568/2342) = 0.02047
    expect(b.accuracy).toBeCloseTo(0.02047, 4);
    // 2·√(Σ 0.1875/n_c) / 4
    const expected = (2 * Math.sqrt(counts.reduce((s, c) => s + 0.1875 / c, 0))) / 4;
    expect(b.balancedAccuracy).toBeCloseTo(expected, 10);
    // No test samples: no band (it was Infinity, and the verdict printed "Infinity pp").
    expect(noiseBands(0.5, [0, 0, 0, 0])).toBeNull();
  });

  it("compares with the best baseline per metric; gaps inside the band are not called wins", () => {
    const [acc, bal] = independentSampleVerdict(results, counts);
    expect(acc.best).toEqual({ id: "majority", label: "majority", value: 0.432 });
    expect(acc.method).toBe("independent-binomial");
    expect(acc.rows.map((r) => [r.id, +r.gap.toFixed(3), r.clear])).toEqual([
      ["ensemble", 0.068, true],
      ["forest", 0.006, false],
      ["transformer", -0.077, false],
    ]);
    expect(acc.rows[0].interval[0]).toBeCloseTo(0.068 - acc.noise!, 10);
    expect(bal.best.id).toBe("previous_label");
    expect(bal.noise).toBeCloseTo(0.026, 3);
    expect(bal.rows.map((r) => [r.id, r.clear])).toEqual([
      ["transformer", true],
      ["ensemble", true],
      ["forest", false],
    ]);
  });

  it("has nothing to say without baselines, without models or without test samples", () => {
    expect(
      independentSampleVerdict(
        results.filter((r) => r.kind !== "baseline"),
        counts,
      ),
    ).toEqual([]);
    expect(
      independentSampleVerdict(
        results.filter((r) => r.kind === "baseline"),
        counts,
      ),
    ).toEqual([]);
    expect(independentSampleVerdict(results, [0, 0, 0, 0])).toEqual([]);
  });

  it("a tiny test part widens the bands until nothing is clear", () => {
    const verdicts = independentSampleVerdict(results, [5, 20, 20, 5]);
    expect(verdicts[0].noise).toBeGreaterThan(0.13);
    expect(verdicts.flatMap((v) => v.rows).every((r) => !r.clear)).toBe(true);
  });
});

describe("the paired block-bootstrap verdict with Holm", () => {
  // Persistent labels; a model right in persistent spells 60% of the time, a label-blind one,
  // the majority baseline (class 0).
  const n = 2000;
  const rand = mulberry32(11);
  const labels = new Uint8Array(n);
  for (let i = 1; i < n; i++) labels[i] = rand() < 0.15 ? Math.floor(rand() * 4) : labels[i - 1];
  const predictor = (skill: number) => {
    const p = new Float32Array(n * 4);
    let right = false;
    let guess = 0;
    for (let i = 0; i < n; i++) {
      if (rand() < 0.05) {
        right = rand() < skill;
        guess = Math.floor(rand() * 4);
      }
      p[i * 4 + (right ? labels[i] : guess)] = 1;
    }
    return p;
  };
  const probs: Record<string, Float32Array> = {
    skilled: predictor(0.6),
    blind: predictor(0),
    majority: Float32Array.from({ length: n * 4 }, (_, j) => (j % 4 === 0 ? 1 : 0)),
  };
  const metricsOf = (p: Float32Array) => {
    let hits = 0;
    const per = [0, 0, 0, 0];
    const cnt = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < 4; c++) if (p[i * 4 + c] > p[i * 4 + best]) best = c;
      cnt[labels[i]]++;
      if (best === labels[i]) {
        hits++;
        per[labels[i]]++;
      }
    }
    const present = cnt.filter((c) => c > 0).length;
    return {
      accuracy: hits / n,
      balancedAccuracy: per.reduce((s, h, c) => s + (cnt[c] ? h / cnt[c] : 0), 0) / present,
    };
  };
  const rows: VerdictRow[] = Object.entries(probs).map(([id, p]) => ({
    id,
    label: id,
    kind: id === "majority" ? "baseline" : "model",
    metrics: metricsOf(p),
  }));
  const boot = bootstrapTestSequence(
    { labels },
    Object.entries(probs).map(([id, p]) => ({ id, probs: p })),
    [],
    { horizon: 4, resamples: 2000, seed: 5 },
  );
  const verdicts = pairedVerdict(rows, boot);

  it("calls the skilled model clearly better and the label-blind one not", () => {
    const bal = verdicts.find((v) => v.metric === "balancedAccuracy")!;
    expect(bal.method).toBe("paired-block-bootstrap");
    expect(bal.comparisons).toBe(2);
    const skilled = bal.rows.find((r) => r.id === "skilled")!;
    const blind = bal.rows.find((r) => r.id === "blind")!;
    expect(skilled.clear).toBe(true);
    expect(skilled.interval[0]).toBeGreaterThan(0);
    expect(blind.clear).toBe(false);
    expect(blind.interval[0]).toBeLessThan(0);
    // Holm: the smaller p-value is judged at 1 − 0.05/2, the other at 0.95.
    expect(skilled.level).toBeCloseTo(0.975, 12);
    expect(blind.level).toBeCloseTo(0.95, 12);
    expect(skilled.gap).toBeCloseTo(skilled.value - 0.25, 12); // majority's balanced accuracy is 1/4
    expect(skilled.interval[0]).toBeLessThan(skilled.gap);
    expect(skilled.interval[1]).toBeGreaterThan(skilled.gap);
  });

  it("more comparisons widen the corrected intervals (Holm over the family)", () => {
    const one = pairedVerdict(
      rows.filter((r) => r.id !== "skilled"),
      boot,
    ).find((v) => v.metric === "balancedAccuracy")!;
    const two = verdicts.find((v) => v.metric === "balancedAccuracy")!;
    const alone = one.rows[0];
    const inFamily = two.rows.find((r) => r.id === "blind")!;
    expect(alone.level).toBe(0.95);
    expect(inFamily.interval).toEqual(alone.interval); // the largest p keeps level 0.95 in step-down
    expect(two.rows.find((r) => r.id === "skilled")!.level).toBeGreaterThan(alone.level);
  });

  it("says so in words, with each gap's corrected interval", () => {
    const bal = verdicts.find((v) => v.metric === "balancedAccuracy")!;
    const { lead, rest } = verdictSentence(bal, n);
    expect(lead).toBe("skilled beats");
    expect(rest).toMatch(
      /^the best baseline on balanced accuracy \(majority, 25\.0%\): skilled \+[\d.]+ pp \(\+[\d.]+ to \+[\d.]+ pp\), blind /,
    );
    expect(rest).toContain(
      `Paired block bootstrap of the 2,000 test samples (blocks of ${boot.blockLength} candles on average, 2,000 resamples); intervals corrected for 2 comparisons (Holm)`,
    );
  });

  it("refuses a bootstrap without replicates for a result", () => {
    expect(() => pairedVerdict([...rows, row("extra", "model", 0.3, 0.3)], boot)).toThrow(/no replicates for "extra"/);
  });
});

describe("the verdict in words", () => {
  it("never prints Infinity or NaN", () => {
    const v = independentSampleVerdict(
      [row("m", "model", 0.4, 0.3), row("b", "baseline", 0.45, 0.25)],
      [10, 10, 10, 10],
    );
    const broken = {
      ...v[0],
      noise: Infinity,
      rows: v[0].rows.map((r) => ({ ...r, gap: NaN, interval: [NaN, Infinity] as [number, number] })),
    };
    for (const s of [
      verdictSentence(v[0], 40),
      verdictSentence(broken, 40),
      verdictSentence({ ...broken, method: "paired-block-bootstrap" }, 40),
    ]) {
      const text = `${s.lead} ${s.rest}`;
      expect(text).not.toMatch(/Infinity|NaN/);
    }
    expect(verdictSentence(broken, 40).rest).toContain("gaps up to —");
  });

  it("says how the gaps were judged", () => {
    const v = independentSampleVerdict(
      [row("m", "model", 0.5, 0.3), row("b", "baseline", 0.4, 0.25)],
      [100, 100, 100, 100],
    );
    expect(verdictSentence(v[0], 400)).toEqual({
      lead: "m beats",
      rest: "the best baseline on accuracy (b, 40.0%; gaps up to 4.9 pp, two standard errors on 400 test samples, count as noise): m +10.0 pp.",
    });
  });
});
