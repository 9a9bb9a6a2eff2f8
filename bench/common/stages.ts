/**
 * Time per stage of a run, from the progress events the run already sends (no hooks in the app):
 * a model's "train" stage lasts until its last training event; the gap to its first importance
 * event is its prediction (the best weights on the requested sets); "importance" lasts until the
 * model is done, its saving included. Forest phases map to the same names ("evaluate" is its
 * prediction). The run's own "evaluate" lasts until "end".
 */
const STAGE_OF: Record<string, string> = {
  train: "train",
  checkpoint: "train",
  evaluate: "predict",
  importance: "importance+save",
};

interface Open {
  stage: string;
  since: number;
  last: number;
}

export class StageClock {
  private readonly open = new Map<string, Open>();
  private readonly done: { model: string; stage: string; seconds: number }[] = [];

  /** Starts `stage` of `model` at `since` (default now). */
  mark(model: string, stage: string, since = performance.now()): void {
    this.close(model, since);
    this.open.set(model, { stage, since, last: since });
  }

  /** Feeds one progress event ("done" and "end" close the model's stage). */
  progress(model: string, phase: string): void {
    const now = performance.now();
    const cur = this.open.get(model);
    if (phase === "done" || phase === "end") return this.close(model, now);
    if (model === "run") {
      if (phase === "evaluate") this.mark("run", "evaluate", now);
      return;
    }
    const stage = STAGE_OF[phase] ?? phase;
    if (cur?.stage === stage) {
      cur.last = now;
      return;
    }
    if (cur?.stage === "train" && stage === "importance+save") {
      // Training ended at its last event; prediction ran until now.
      this.close(model, cur.last);
      this.done.push({ model, stage: "predict", seconds: (now - cur.last) / 1000 });
    }
    this.mark(model, stage, now);
  }

  /** Ends the open stage of `model` at `at` (default now). */
  close(model: string, at = performance.now()): void {
    const cur = this.open.get(model);
    if (!cur) return;
    this.open.delete(model);
    this.done.push({ model, stage: cur.stage, seconds: (at - cur.since) / 1000 });
  }

  /** The closed stages in order, seconds to 0.1 s. */
  rows(): { model: string; stage: string; seconds: number }[] {
    return this.done.map((r) => ({ ...r, seconds: +r.seconds.toFixed(1) }));
  }
}

/** The page's JS heap in MB where Chromium reports it (performance.memory), else null. */
export function pageHeapMb(): number | null {
  const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return memory ? +(memory.usedJSHeapSize / 2 ** 20).toFixed(1) : null;
}
