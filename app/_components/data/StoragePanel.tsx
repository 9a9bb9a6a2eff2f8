"use client";

import { storageStatusText, type StorageStatus } from "@/lib/db";

/** How much of the browser's storage the studio uses, and whether the browser may evict it. */
export function StoragePanel({ status }: { status: StorageStatus | null }) {
  if (!status) return null;
  const text = storageStatusText(status);
  return (
    <div className="space-y-1 text-sm text-slate-600" data-testid="storage-status">
      <p>{text.usage}</p>
      <p className={status.persisted === false ? "text-amber-800" : undefined}>{text.persistence}</p>
    </div>
  );
}
