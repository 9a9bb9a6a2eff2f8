"use client";

import { useState } from "react";
import { ALT_SOURCES, altSourceLabel } from "@/lib/core/features/alt-series";
import { formatInt, formatTime } from "@/lib/core/format";
import { deleteAltSeries, getStudioDb, KEYED_SOURCES, type AltSeriesSummary, type StudioSettings } from "@/lib/db";
import { ConfirmDeleteButton } from "../../ConfirmDeleteButton";
import { TableHead } from "../../TableHead";

/**
 * What a dataset built now would get for each source: "real" when values are stored, else the
 * documented neutral "fallback" (a keyed source also says whether its key is set). Synthetic
 * funding and Fear & Greed are only generated for the synthetic market, never stored.
 */
function sourceStatus(
  source: (typeof ALT_SOURCES)[number],
  stored: AltSeriesSummary[],
  settings: StudioSettings | null,
): string {
  const n = stored.filter((s) => s.source === source).reduce((k, s) => k + s.count, 0);
  const keyed = KEYED_SOURCES.find((k) => k.source === source);
  const key = keyed ? (settings?.apiKeys[keyed.key] ? "key set" : "no key") : null;
  const state = n > 0 ? `real (${formatInt(n)} values stored)` : "fallback (nothing stored: neutral value)";
  return key ? `${state}; ${key}` : state;
}

/** Stored alternative series (funding per pair, Fear & Greed market-wide, keyed scores): coverage, gaps, origin. */
export function AltSeriesTable({
  series,
  settings,
  onChanged,
}: {
  series: AltSeriesSummary[];
  settings: StudioSettings | null;
  onChanged: () => void;
}) {
  const [openGaps, setOpenGaps] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      <ul className="text-sm" data-testid="alt-source-status">
        {ALT_SOURCES.map((s) => (
          <li key={s} data-testid={`alt-status-${s}`}>
            <b>{altSourceLabel(s)}</b>: {sourceStatus(s, series, settings)}
          </li>
        ))}
        <li className="text-xs text-slate-500">
          Synthetic funding and Fear &amp; Greed are generated only for the synthetic market (or when chosen on the
          Dataset page); a dataset of real candles built with them is marked as such.
        </li>
      </ul>
      {series.length === 0 ? (
        <p className="text-sm text-slate-500">No alternative data stored yet: import files or fetch above.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="alt-series-table">
            <TableHead columns={["source", "symbol", "from (UTC)", "to (UTC)", "values", "gaps", "origin", ""]} />
            <tbody>
              {series.map((s) => (
                <tr key={s.id} className="border-b last:border-0" data-testid={`alt-${s.id}`} data-count={s.count}>
                  <td className="py-1 pr-3">{altSourceLabel(s.source)}</td>
                  <td className="pr-3 font-medium">{s.symbol}</td>
                  <td className="pr-3">{formatTime(s.first)}</td>
                  <td className="pr-3">{formatTime(s.last)}</td>
                  <td className="pr-3">{formatInt(s.count)}</td>
                  <td className="pr-3">
                    {s.gaps.length === 0 ? (
                      "none"
                    ) : (
                      <button
                        className="text-amber-700 underline"
                        onClick={() => setOpenGaps(openGaps === s.id ? null : s.id)}
                        data-testid="alt-gaps"
                      >
                        {s.gaps.length} ({formatInt(s.gaps.reduce((n, g) => n + g.missing, 0))} values)
                      </button>
                    )}
                  </td>
                  <td className="pr-3">{s.origins.join(" + ")}</td>
                  <td>
                    <ConfirmDeleteButton
                      question={`Delete ${altSourceLabel(s.source)} ${s.symbol} (${formatInt(s.count)} values) from this browser?`}
                      onDelete={async () => {
                        await deleteAltSeries(getStudioDb(), s.id);
                        onChanged();
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {openGaps && (
        <ul className="max-h-40 overflow-auto rounded border border-amber-200 bg-amber-50 p-2 text-xs">
          {series
            .find((s) => s.id === openGaps)
            ?.gaps.map((g) => (
              <li key={g.from}>
                {formatTime(g.from)} → {formatTime(g.to)}: {g.missing} value{g.missing > 1 ? "s" : ""} missing (not
                filled; rows there use the last published value while it is fresh enough)
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
