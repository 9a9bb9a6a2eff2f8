/**
 * The page's long main-thread tasks while a bench runs (PerformanceObserver "longtask": tasks of
 * 50 ms or more, the browser's own threshold): the check that training in workers leaves the page
 * responsive.
 */
export interface LongTasks {
  /** Count and the longest (ms; 0 when none) since start. */
  summary(): { long_tasks: number; longest_task_ms: number };
  stop(): void;
}

export function watchLongTasks(): LongTasks {
  let count = 0;
  let longest = 0;
  let observer: PerformanceObserver | undefined;
  try {
    observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        count++;
        longest = Math.max(longest, e.duration);
      }
    });
    // Not buffered: only tasks from now on (the bench page does its own setup work before).
    observer.observe({ type: "longtask" });
  } catch {
    observer = undefined; // no Long Tasks API: summary stays at zero
  }
  return {
    summary: () => ({ long_tasks: count, longest_task_ms: Math.round(longest) }),
    stop: () => observer?.disconnect(),
  };
}
