import { CLASS_NAMES } from "@/lib/core/classes";
import { formatInt, formatPct, formatTime } from "@/lib/core/format";
import { droppedRowsText, type QualityReport } from "@/lib/core/quality";

const STATUS_STYLE = { good: "text-emerald-700", warn: "text-amber-700", bad: "text-red-700" } as const;
const STATUS_ICON = { good: "✓", warn: "!", bad: "✗" } as const;

/** The data-quality report: shape, class counts per part, non-finite values, gaps and the guide's signs. */
export function QualityReportView({ report }: { report: QualityReport }) {
  const parts = ["overall", "train", "val", "test"] as const;
  const dropped = droppedRowsText(report);
  const t = report.thresholds;
  return (
    <div className="space-y-3 text-sm" data-testid="quality-report">
      <p>
        <b data-testid="dataset-shape">{report.shape}</b> (samples × window × features), {formatInt(report.rows)} rows.
        NaN: {report.nanCount}, Inf: {report.infCount}.{dropped && ` ${dropped.line}`}
      </p>
      {dropped?.explanation && (
        <p className="text-amber-700" data-testid="drop-explanation">
          {dropped.explanation}
        </p>
      )}
      {t && (
        <p data-testid="dataset-thresholds">
          Thresholds: strong {formatPct(t.strong, 2)}, weak {formatPct(t.weak, 2)}
          {t.atrScaled && " (× ATR(14)/close over its training median)"}
          {t.fit
            ? `, fitted on ${formatInt(t.fit.rows)} training samples: rarest class ${formatPct(t.fit.rarest)} (target ${formatPct(t.fit.target, 0)}${t.fit.reached ? ", reached" : ", not reachable: the most even mix is kept"}).`
            : " (as set)."}
        </p>
      )}
      <table className="text-xs">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="pr-3">part</th>
            {CLASS_NAMES.map((c) => (
              <th key={c} className="pr-3">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {parts.map((p) => (
            <tr key={p}>
              <td className="pr-3 font-medium">{p}</td>
              {report.classCounts[p].map((n, i) => (
                <td key={i} className="pr-3">
                  {formatInt(n)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {report.perSymbol && (
        <table className="text-xs" data-testid="quality-per-symbol">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="pr-3">symbol</th>
              <th className="pr-3">rows</th>
              <th className="pr-3">samples</th>
              <th className="pr-3">train / val / test</th>
              <th className="pr-3">worst class</th>
              <th className="pr-3">constant features</th>
            </tr>
          </thead>
          <tbody>
            {report.perSymbol.map((p) => (
              <tr key={p.symbol}>
                <td className="pr-3 font-medium">{p.symbol}</td>
                <td className="pr-3">{formatInt(p.rows)}</td>
                <td className="pr-3">{formatInt(p.samples)}</td>
                <td className="pr-3">
                  {(["train", "val", "test"] as const)
                    .map((k) => formatInt(p.classCounts[k].reduce((a, b) => a + b, 0)))
                    .join(" / ")}
                </td>
                <td className={`pr-3 ${p.worstClass > 0.15 ? "" : "text-red-700"}`}>{formatPct(p.worstClass)}</td>
                <td className="pr-3">{p.constantFeatures.length ? p.constantFeatures.join(", ") : "none"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ul className="space-y-1" data-testid="quality-signs">
        {report.signs.map((s) => (
          <li key={s.id} className={STATUS_STYLE[s.status]} data-status={s.status}>
            {STATUS_ICON[s.status]} {s.label}: <span className="text-slate-700">{s.detail}</span>
            {s.status !== "good" && s.remedy && <div className="ml-4 text-xs text-slate-600">→ {s.remedy}</div>}
          </li>
        ))}
      </ul>
      {report.constantFeatures.length > 0 && (
        <p className="text-amber-700">Constant features (carry no information): {report.constantFeatures.join(", ")}</p>
      )}
      {report.fallbackFeatures.length > 0 && (
        <p className="text-slate-600">
          Features using a neutral fallback (source missing): {report.fallbackFeatures.join(", ")}
        </p>
      )}
      {report.gaps.length > 0 && (
        <details>
          <summary className="cursor-pointer text-amber-700">
            Gaps met in the candles ({report.gaps.reduce((n, g) => n + g.gaps.length, 0)})
          </summary>
          <ul className="text-xs">
            {report.gaps.flatMap((g) =>
              g.gaps.map((x) => (
                <li key={`${g.interval}-${x.from}`}>
                  {g.interval}: {formatTime(x.from)} → {formatTime(x.to)} ({x.missing} missing)
                </li>
              )),
            )}
          </ul>
        </details>
      )}
    </div>
  );
}
