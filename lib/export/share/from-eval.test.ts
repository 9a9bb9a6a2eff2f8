import { describe, expect, it } from "vitest";
import { classificationMetrics } from "@/lib/eval/metrics";
import { runBacktest } from "@/lib/eval/backtest";
import { decodeSharedRun, encodeSharedRun } from "./codec";
import { realisticRun } from "@/test/shared-run";
import { sharedBacktest, sharedCurve, sharedResult } from "./from-eval";
import { mulberry32 } from "@/lib/core/random";

describe("adapters from evaluation outputs", () => {
  it("turn real metrics, a backtest and a history into a link that decodes", () => {
    const rnd = mulberry32(4);
    const n = 500;
    const labels = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 4));
    const probs = new Float32Array(n * 4);
    for (let i = 0; i < n; i++) {
      const raw = [rnd(), rnd(), rnd(), rnd()];
      raw[labels[i]] += 0.5;
      const s = raw.reduce((a, b) => a + b, 0);
      raw.forEach((v, c) => (probs[i * 4 + c] = v / s));
    }
    const m = classificationMetrics(labels, probs);
    const history = Array.from({ length: 137 }, (_, i) => ({
      epoch: i + 1,
      loss: 1.4 - i * 0.005,
      acc: 0.3 + i * 0.002,
      valLoss: 1.38 - i * 0.003,
      valAcc: 0.3 + i * 0.001,
      trainSeconds: 1,
      valSeconds: 0.1,
    }));
    const curve = sharedCurve(history, 120)!;
    expect(curve.epoch.length).toBeLessThanOrEqual(60);
    expect(curve.epoch[0]).toBe(1);
    expect(curve.epoch[curve.epoch.length - 1]).toBe(137);
    const times = Float64Array.from({ length: n }, (_, i) => i * 3_600_000);
    let p = 100;
    const closes = Float64Array.from({ length: n }, () => (p *= 1 + (rnd() - 0.5) * 0.02));
    const bt = runBacktest(
      closes,
      times,
      Int32Array.from({ length: n - 4 }, (_, i) => i),
      probs.subarray(0, (n - 4) * 4),
      4,
    );
    const sb = sharedBacktest("ensemble", bt);
    expect(sb.equity.length).toBeLessThanOrEqual(200);
    expect(sb.equity.length).toBe(sb.buyHold.length);
    const run = realisticRun(1);
    run.results[0] = sharedResult("transformer", "Transformer", "model", m, curve);
    run.backtest = sb;
    const back = decodeSharedRun(encodeSharedRun(run));
    if (!back.ok) throw new Error(back.error);
    expect(back.run.results[0].metrics.accuracy).toBeCloseTo(m.accuracy, 3);
    expect(back.run.results[0].confusion).toEqual(m.confusion);
    expect(back.run.backtest!.trades).toBe(bt.metrics.trades);
  });
});
