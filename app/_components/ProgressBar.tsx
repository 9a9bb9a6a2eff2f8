/** A labelled progress bar; `value` in [0, 1]. */
export function ProgressBar({
  value,
  label,
  detail,
  testId,
}: {
  value: number;
  label?: string;
  detail?: string;
  testId?: string;
}) {
  const pct = Math.max(0, Math.min(1, Number.isFinite(value) ? value : 0)) * 100;
  return (
    <div className="space-y-1" data-testid={testId}>
      {(label || detail) && (
        <div className="flex justify-between text-xs text-slate-600">
          <span>{label}</span>
          <span>{detail}</span>
        </div>
      )}
      <div
        className="h-2 w-full overflow-hidden rounded bg-slate-200"
        role="progressbar"
        aria-valuenow={Math.round(pct)}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className="h-full bg-indigo-500 transition-[width]" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
