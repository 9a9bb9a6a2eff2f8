"use client";

import { useCallback, useRef } from "react";

/**
 * The AbortController of a component's running task (a build, an export): begin() aborts any
 * earlier task and returns a fresh signal for the new one; cancel() aborts the task in flight
 * (a Cancel button's onClick). The worker bridge turns that abort into a terminated worker and
 * an AbortError (see lib/jobs/bridge.ts).
 */
export function useAbortable(): { begin: () => AbortSignal; cancel: () => void } {
  const current = useRef<AbortController | null>(null);
  const begin = useCallback(() => {
    current.current?.abort();
    current.current = new AbortController();
    return current.current.signal;
  }, []);
  const cancel = useCallback(() => current.current?.abort(), []);
  return { begin, cancel };
}
