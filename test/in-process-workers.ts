/**
 * The training workers, in process (Node tests): the tfjs worker's training job on the CPU
 * backend, and the forest and dataset workers' APIs on MessageChannels (so what crosses them is
 * structured-cloned, as between a page and a worker).
 */
import * as Comlink from "comlink";
import * as tf from "@tensorflow/tfjs";
import { createDatasetApi } from "@/lib/jobs/dataset/api";
import { createDatasetClient, type DatasetClient } from "@/lib/jobs/dataset/client";
import { createForestWorkerApi } from "@/lib/jobs/forest/api";
import type { TfjsTrainWorker } from "@/lib/jobs/train/trainers/types";
import { runTrainRequest } from "@/lib/models/session";
import type { TrainRequest } from "@/lib/models/types";

/** A TfjsTrainWorker that trains in this process on the CPU backend; `requests` lists every train() call. */
export function inProcessTrainWorker(): TfjsTrainWorker & { requests: TrainRequest[] } {
  const requests: TrainRequest[] = [];
  return {
    requests,
    async init() {
      await tf.setBackend("cpu");
      await tf.ready();
      return "cpu";
    },
    train(request, opts = {}) {
      requests.push(request);
      return runTrainRequest(request, {
        signal: opts.signal,
        onProgress: opts.onProgress,
        onCheckpoint: opts.onCheckpoint,
      });
    },
  };
}

/** A stand-in for a Worker: `api` exposed on a MessageChannel. */
function inProcessWorker(api: object): Worker & { terminated: boolean } {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(api, port1 as unknown as Comlink.Endpoint);
  const w = Object.assign(port2, {
    terminated: false,
    terminate() {
      if (w.terminated) return;
      w.terminated = true;
      port1.close();
      port2.close();
    },
  });
  return w as unknown as Worker & { terminated: boolean };
}

/** A stand-in for a forest Worker: the real worker API exposed on a MessageChannel. */
export function inProcessForestWorker(): Worker & { terminated: boolean } {
  return inProcessWorker(createForestWorkerApi());
}

/** A dataset client whose worker is the real dataset API on a MessageChannel (fake-indexeddb's default database). */
export function inProcessDatasetClient(): DatasetClient {
  return createDatasetClient(() => inProcessWorker(createDatasetApi()));
}

/** What a run job (trainRun, walkRun) takes to train in-process. */
export interface InProcessJobOptions<P> {
  signal: AbortSignal;
  onProgress: (p: P) => void;
  trainClient: TfjsTrainWorker;
  createForestWorker: () => Worker;
  datasetClient: DatasetClient;
}

/**
 * Runs `job` with in-process workers, collecting its progress; `stopAt` aborts it when a progress
 * event matches (to test resuming). Returns the job's result, the progress and the tfjs requests.
 */
export async function runInProcess<P, R>(
  job: (opts: InProcessJobOptions<P>) => Promise<R>,
  stopAt?: (p: P) => boolean,
): Promise<{ evaluation: R; progress: P[]; requests: TrainRequest[] }> {
  const ctrl = new AbortController();
  const progress: P[] = [];
  const trainClient = inProcessTrainWorker();
  const evaluation = await job({
    signal: ctrl.signal,
    onProgress: (p) => {
      progress.push(p);
      if (stopAt?.(p)) ctrl.abort();
    },
    trainClient,
    createForestWorker: inProcessForestWorker,
    datasetClient: inProcessDatasetClient(),
  });
  return { evaluation, progress, requests: trainClient.requests };
}
