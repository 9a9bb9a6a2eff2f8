import { CLASS_NAMES } from "@/lib/core/classes";
import { formatInt, formatPct } from "@/lib/core/format";

/** Confusion matrix as a heatmap: rows are true classes, columns predictions; counts and row shares. */
export function ConfusionHeatmap({ counts, title, testId }: { counts: number[][]; title: string; testId?: string }) {
  const rowSums = counts.map((r) => r.reduce((a, b) => a + b, 0));
  return (
    <figure className="space-y-1" data-testid={testId}>
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <table className="border-collapse text-xs">
        <thead>
          <tr>
            <th className="p-1 text-left text-slate-500">true ↓ / pred →</th>
            {CLASS_NAMES.map((c) => (
              <th key={c} className="p-1 font-medium text-slate-600">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {counts.map((row, i) => (
            <tr key={i}>
              <th className="p-1 text-left font-medium text-slate-600">{CLASS_NAMES[i]}</th>
              {row.map((v, j) => {
                const share = rowSums[i] > 0 ? v / rowSums[i] : 0;
                const bg = i === j ? `rgba(5,150,105,${0.1 + share * 0.8})` : `rgba(220,38,38,${share * 0.8})`;
                return (
                  <td
                    key={j}
                    className="h-12 w-20 border border-white p-1 text-center"
                    style={{ background: bg }}
                    title={`${formatInt(v)} of ${formatInt(rowSums[i])}`}
                  >
                    <div className="font-semibold">{formatInt(v)}</div>
                    <div className="text-[10px] text-slate-700">{formatPct(share)}</div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
