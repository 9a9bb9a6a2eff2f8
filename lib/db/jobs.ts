/** Collection jobs: what was asked, how far it got, so a reloaded tab can offer "resume". */
import { seriesId, type SeriesKey } from "../core/candles";
import type { TimeRange } from "./ranges";
import type { JobProgress, JobRecord, JobState } from "./records";
import { restoreJob } from "./restore";
import type { StudioDb } from "./schema";

function newId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `job-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function emptyProgress(expected = 0): JobProgress {
  return { expected, covered: 0, stored: 0, added: 0, duplicates: 0, requests: 0, rejected: 0 };
}

/** Creates (or, when `id` exists, reopens as "running") a collection job. */
export async function startJob(
  db: StudioDb,
  args: { key: SeriesKey; range: TimeRange; id?: string; now?: number },
): Promise<JobRecord> {
  const now = args.now ?? Date.now();
  const id = args.id ?? newId();
  return db.transaction("rw", db.jobs, async () => {
    const raw = await db.jobs.get(id);
    const prev = raw ? restoreJob(raw) : undefined;
    const job: JobRecord = {
      v: 1,
      id,
      seriesId: seriesId(args.key),
      key: { ...args.key },
      range: { ...args.range },
      state: "running",
      // A resumed job keeps counting requests and candles added across sessions.
      progress: prev ? { ...prev.progress } : emptyProgress(),
      createdAt: prev?.createdAt ?? now,
      updatedAt: now,
    };
    await db.jobs.put(job);
    return job;
  });
}

/** Sets a job's state (and error message), keeping its progress. */
export async function finishJob(
  db: StudioDb,
  id: string,
  state: JobState,
  error?: string,
  now = Date.now(),
): Promise<void> {
  await db.transaction("rw", db.jobs, async () => {
    const raw = await db.jobs.get(id);
    if (!raw) return;
    const job = restoreJob(raw);
    await db.jobs.put({ ...job, state, error, updatedAt: now });
  });
}

export async function getJob(db: StudioDb, id: string): Promise<JobRecord | undefined> {
  const raw = await db.jobs.get(id);
  return raw ? restoreJob(raw) : undefined;
}

/** All jobs, newest first (corrupt ones skipped). */
export async function listJobs(db: StudioDb): Promise<JobRecord[]> {
  const out: JobRecord[] = [];
  for (const raw of await db.jobs.toArray()) {
    try {
      out.push(restoreJob(raw));
    } catch {
      // A corrupt job only loses its "resume" button.
    }
  }
  return out.sort((a, b) => b.updatedAt - a.updatedAt);
}

/**
 * Jobs the UI can offer to resume: not done. A "running" job here either runs in another tab
 * (resuming it then fails with the lock message) or its tab was closed mid-way.
 */
export async function listResumableJobs(db: StudioDb): Promise<JobRecord[]> {
  return (await listJobs(db)).filter((j) => j.state !== "done");
}

export async function deleteJob(db: StudioDb, id: string): Promise<void> {
  await db.jobs.delete(id);
}
