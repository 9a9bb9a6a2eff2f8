"use client";

import { ConfirmDeleteButton } from "../ConfirmDeleteButton";
import { useState } from "react";
import { formatBytes, formatInt, formatTime } from "@/lib/core/format";
import { deleteSeries, getStudioDb, type SeriesRecord } from "@/lib/db";
import { SeriesPreview } from "./SeriesPreview";
import { TableHead } from "../TableHead";

/** Stored series: coverage, counts, gaps and size, with delete and a preview. */
export function SeriesTable({ series, onChanged }: { series: SeriesRecord[]; onChanged: () => void }) {
  const [preview, setPreview] = useState<SeriesRecord | null>(null);
  const [openGaps, setOpenGaps] = useState<string | null>(null);
  if (series.length === 0)
    return <p className="text-sm text-slate-500">Nothing stored yet: collect, import or generate candles above.</p>;
  return (
    <div className="space-y-4">
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="series-table">
          <TableHead
            columns={["source", "symbol", "interval", "from (UTC)", "to (UTC)", "candles", "gaps", "size", ""]}
          />
          <tbody>
            {series.map((s) => (
              <tr key={s.id} className="border-b last:border-0" data-testid={`series-${s.id}`} data-count={s.count}>
                <td className="py-1 pr-3">
                  {s.source}
                  {s.synthetic && (
                    <span className="ml-1 rounded bg-amber-100 px-1 text-[10px] font-semibold text-amber-900">
                      SYNTHETIC
                    </span>
                  )}
                </td>
                <td className="pr-3 font-medium">{s.symbol}</td>
                <td className="pr-3">{s.interval}</td>
                <td className="pr-3">{formatTime(s.first)}</td>
                <td className="pr-3">{formatTime(s.last)}</td>
                <td className="pr-3" data-testid="series-count">
                  {formatInt(s.count)}
                </td>
                <td className="pr-3">
                  {s.gaps.length === 0 ? (
                    "none"
                  ) : (
                    <button
                      className="text-amber-700 underline"
                      onClick={() => setOpenGaps(openGaps === s.id ? null : s.id)}
                      data-testid="series-gaps"
                    >
                      {s.gaps.length} ({formatInt(s.gaps.reduce((n, g) => n + g.missing, 0))} candles)
                    </button>
                  )}
                </td>
                <td className="pr-3">{formatBytes(s.bytes)}</td>
                <td className="space-x-2 whitespace-nowrap">
                  <button className="text-indigo-700 underline" onClick={() => setPreview(s)}>
                    preview
                  </button>
                  <ConfirmDeleteButton
                    question={`Delete ${s.symbol} ${s.interval} (${formatInt(s.count)} candles) from this browser?`}
                    onDelete={async () => {
                      await deleteSeries(getStudioDb(), s.id);
                      if (preview?.id === s.id) setPreview(null);
                      onChanged();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {openGaps && (
        <ul
          className="max-h-40 overflow-auto rounded border border-amber-200 bg-amber-50 p-2 text-xs"
          data-testid="gap-list"
        >
          {series
            .find((s) => s.id === openGaps)
            ?.gaps.map((g) => (
              <li key={g.from}>
                {formatTime(g.from)} → {formatTime(g.to)}: {g.missing} candle{g.missing > 1 ? "s" : ""} missing at the
                source (not filled)
              </li>
            ))}
        </ul>
      )}
      {preview && <SeriesPreview series={preview} />}
    </div>
  );
}
