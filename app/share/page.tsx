"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { decodeSharedRun, type DecodeResult } from "@/lib/export/share";
import { Notice } from "../_components/Notice";
import { RunDashboard } from "../_components/dashboard/RunDashboard";

/**
 * Read-only dashboard of a shared run. Everything comes from the URL fragment (never sent to any
 * server); the payload is validated before anything is shown, and nothing in it is rendered as HTML.
 */
export default function SharePage() {
  const [decoded, setDecoded] = useState<DecodeResult | null>(null);
  useEffect(() => {
    const read = () => setDecoded(decodeSharedRun(window.location.hash));
    read();
    window.addEventListener("hashchange", read);
    return () => window.removeEventListener("hashchange", read);
  }, []);

  if (!decoded) return <p className="text-sm text-slate-500">Reading the link…</p>;
  if (!decoded.ok) {
    return (
      <div className="space-y-3" data-testid="share-error">
        <h1 className="text-xl font-semibold">This share link cannot be opened</h1>
        <Notice kind="error">{decoded.error}</Notice>
        <p className="text-sm text-slate-600">
          Ask the sender to copy the link again from the Results page (the whole link, including everything after{" "}
          <code>#</code>), or{" "}
          <Link className="text-indigo-700 underline" href="/">
            open the studio
          </Link>
          .
        </p>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <Notice kind="info" testId="share-readonly">
        Read-only dashboard of a shared run: a summary only (metrics, matrices, curves, backtest). No candles, weights
        or keys were shared.
      </Notice>
      <RunDashboard run={decoded.run} />
    </div>
  );
}
