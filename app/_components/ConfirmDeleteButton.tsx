"use client";

/** A "delete" link that asks `question` first and runs `onDelete` only when confirmed. */
export function ConfirmDeleteButton({
  question,
  onDelete,
  label = "delete",
  className = "text-red-700 underline",
}: {
  question: string;
  onDelete: () => Promise<void> | void;
  label?: string;
  className?: string;
}) {
  return (
    <button
      className={className}
      onClick={async () => {
        if (!window.confirm(question)) return;
        await onDelete();
      }}
    >
      {label}
    </button>
  );
}
