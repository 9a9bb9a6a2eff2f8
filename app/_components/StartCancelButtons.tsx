/** A form's submit button (disabled while work runs) beside a Cancel that is live only then. */
export function StartCancelButtons({
  label,
  running,
  onCancel,
  className = "flex gap-2",
  startDisabled = false,
}: {
  label: string;
  running: boolean;
  onCancel: () => void;
  className?: string;
  /** The form cannot start yet (e.g. its settings have issues), though nothing runs. */
  startDisabled?: boolean;
}) {
  return (
    <div className={className}>
      <button className="btn" type="submit" disabled={running || startDisabled}>
        {label}
      </button>
      <button className="btn-secondary" type="button" disabled={!running} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
