"use client";

import { CLASS_NAMES } from "@/lib/core/classes";
import { formatPct, formatTime } from "@/lib/core/format";
import type { SignalRecord } from "@/lib/db";

/** The newest signal: class, each model's and the ensemble's probabilities, confidence, size, candle, next candle. */
export function SignalCard({ signal, baseMs }: { signal: SignalRecord | undefined; baseMs: number }) {
  if (!signal) return <p className="text-sm text-slate-500">No signal yet.</p>;
  const served = signal.served === "challenger" && signal.challenger ? signal.challenger : signal.champion;
  const rows = [...Object.entries(served.modelProbs), ["ensemble", served.probs] as const];
  return (
    <section className="card space-y-2" data-testid="current-signal">
      <h2 className="text-lg font-semibold">
        Signal: <span data-testid="signal-class">{CLASS_NAMES[served.predicted]}</span>{" "}
        <span className="text-sm font-normal text-slate-500">
          ({signal.served}
          {signal.traffic ? `, challenger traffic ${signal.traffic}%` : ""})
        </span>
      </h2>
      <p className="text-sm">
        candle {formatTime(signal.openTime)} · confidence {formatPct(served.confidence)} ·{" "}
        {served.tradeable
          ? `tradeable, suggested size ${served.size.toFixed(2)}`
          : "not tradeable (below the minimum confidence)"}{" "}
        · next candle closes {formatTime(signal.openTime + 2 * baseMs)}
      </p>
      <table className="text-sm">
        <thead>
          <tr>
            <th className="pr-3 text-left">model</th>
            {CLASS_NAMES.map((c) => (
              <th key={c} className="pr-3 text-right">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, p]) => (
            <tr key={id}>
              <td className="pr-3">{id}</td>
              {p.map((x, i) => (
                <td key={i} className="pr-3 text-right tabular-nums">
                  {formatPct(x)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
