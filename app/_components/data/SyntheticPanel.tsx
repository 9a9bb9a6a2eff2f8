"use client";

import { useState } from "react";
import { formatInt } from "@/lib/core/format";
import type { Interval } from "@/lib/core/intervals";
import { getCollectClient } from "@/lib/jobs/collect/client";
import { Notice } from "../Notice";
import { errorMessage } from "../useStudioData";
import { parseDateInput } from "./dates";

/** The seeded synthetic market: offline demo data, always labelled synthetic. */
export function SyntheticPanel({ onStored, onStart }: { onStored: () => void; onStart?: () => void }) {
  const [seed, setSeed] = useState("42");
  const [symbol, setSymbol] = useState("SYNTH");
  const [start, setStart] = useState("2022-01-01");
  const [end, setEnd] = useState("2024-01-01");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function generate(e: React.FormEvent) {
    e.preventDefault();
    const s = parseDateInput(start);
    const t = parseDateInput(end);
    if (!(s < t)) {
      setMessage({ ok: false, text: "The start date must be before the end date." });
      return;
    }
    setBusy(true);
    setMessage(null);
    onStart?.();
    try {
      const intervals: Interval[] = ["15m", "1h", "4h"];
      const results = await getCollectClient().generateSynthetic({
        seed,
        symbol: symbol.trim().toUpperCase() || "SYNTH",
        start: s,
        end: t,
        intervals,
      });
      setMessage({
        ok: true,
        text: `Synthetic market stored: ${results.map((r, i) => `${intervals[i]} ${formatInt(r.added + r.duplicates)}`).join(", ")} candles.`,
      });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    }
    setBusy(false);
    onStored();
  }

  return (
    <form className="space-y-3" onSubmit={generate} aria-label="Synthetic market">
      <p className="text-sm text-slate-600">
        A seeded, deterministic market (regime switching, volatility clustering, fat tails, volume tied to volatility)
        as 15m candles, aggregated exactly to 1h and 4h. It works offline; everything built from it is labelled{" "}
        <b>synthetic</b>.
      </p>
      <div className="flex flex-wrap gap-3">
        <label className="space-y-1">
          <span className="label">Seed</span>
          <input className="input block w-24" name="seed" value={seed} onChange={(e) => setSeed(e.target.value)} />
        </label>
        <label className="space-y-1">
          <span className="label">Symbol label</span>
          <input
            className="input block w-32"
            name="synthSymbol"
            value={symbol}
            onChange={(e) => setSymbol(e.target.value)}
          />
        </label>
        <label className="space-y-1">
          <span className="label">Start</span>
          <input
            className="input block"
            type="date"
            name="synthStart"
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        </label>
        <label className="space-y-1">
          <span className="label">End</span>
          <input
            className="input block"
            type="date"
            name="synthEnd"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
          />
        </label>
      </div>
      <button className="btn" type="submit" disabled={busy}>
        {busy ? "Generating…" : "Generate synthetic market"}
      </button>
      {message && (
        <Notice kind={message.ok ? "ok" : "error"} testId="synthetic-outcome">
          {message.text}
        </Notice>
      )}
    </form>
  );
}
