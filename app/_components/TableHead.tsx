import type { ReactNode } from "react";

/** A column of a studio table: its heading, and an optional tooltip. */
export type Column = string | { label: ReactNode; title?: string; key: string };

/** The header row every studio table shares (small grey headings, left-aligned). */
export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <thead>
      <tr className="border-b text-left text-xs text-slate-500">
        {columns.map((c, i) => {
          const col = typeof c === "string" ? { label: c, key: c || `col-${i}` } : c;
          return (
            <th key={col.key} className={i === 0 ? "py-1 pr-3" : "pr-3"} title={col.title}>
              {col.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
