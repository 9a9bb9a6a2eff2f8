/** A message box for errors, warnings and confirmations; text only (never HTML). */
export function Notice({
  kind,
  children,
  testId,
}: {
  kind: "error" | "warning" | "info" | "ok";
  children: React.ReactNode;
  testId?: string;
}) {
  const styles = {
    error: "border-red-300 bg-red-50 text-red-800",
    warning: "border-amber-300 bg-amber-50 text-amber-900",
    info: "border-sky-300 bg-sky-50 text-sky-900",
    ok: "border-emerald-300 bg-emerald-50 text-emerald-900",
  }[kind];
  return (
    <div
      role={kind === "error" ? "alert" : "status"}
      data-testid={testId}
      className={`rounded-md border px-3 py-2 text-sm ${styles}`}
    >
      {children}
    </div>
  );
}
