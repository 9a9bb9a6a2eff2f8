import * as Comlink from "comlink";
import { describe, expect, it } from "vitest";
import { createPeerApi } from "./peer-api";
import { defaultConfig } from "@/lib/models/config";
import type { TrainRequest } from "@/lib/models/types";
import { WASM_BASE } from "@/lib/models/wasm-base";
import { deferred, fakeWorkerFactory, sleep } from "@/test/fake-worker";
import { toyTask } from "@/test/toy-task";
import { createTrainApi } from "./api";
import { TrainClient } from "./client";

const task = toyTask(300, 3, 8, 2, 1);

function request(epochs: number): TrainRequest {
  return {
    kind: "lstm",
    config: { ...defaultConfig("lstm"), units: 8, layers: 1, patch: 2, epochs, batchSize: 32, patience: 100 },
    source: task.source,
    train: task.train,
    val: task.val,
    predict: { test: task.test.ends },
    checkpoints: true,
  };
}

/** The real training API (CPU backend) behind fake workers, recording the init arguments. */
function realWorkers() {
  const inits: unknown[][] = [];
  const factory = fakeWorkerFactory(() => {
    const api = createTrainApi();
    return {
      ...api,
      init: (...args: Parameters<typeof api.init>) => {
        inits.push(args);
        return api.init("cpu", args[1], args[2], args[3]);
      },
    };
  });
  return { ...factory, inits };
}

/** A gradient peer worker in process: it serves the peer API on the port the page hands it. */
function fakePeerWorkers() {
  const made: { terminated: boolean }[] = [];
  const create = () => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = (e: MessageEvent<{ port: MessagePort }>) => Comlink.expose(createPeerApi(), e.data.port);
    const record = { terminated: false };
    made.push(record);
    return Object.assign(port2, {
      terminate() {
        record.terminated = true;
        port1.close();
        port2.close();
      },
    }) as unknown as Worker;
  };
  return { create, made };
}

describe("TrainClient over the worker bridge", () => {
  it("a gradient peer worker trains with the training worker: same result, and it ends with it", async () => {
    const alone = new TrainClient({ createWorker: realWorkers().create });
    const a = await alone.train(request(2));
    alone.terminate();
    const peers = fakePeerWorkers();
    const client = new TrainClient({ createWorker: realWorkers().create, createPeerWorker: peers.create, peers: 1 });
    const b = await client.train(request(2));
    expect(peers.made.length).toBe(1);
    expect(b.workers).toBe(2);
    expect(a.workers).toBe(1);
    expect(Array.from(new Float32Array(b.artifacts.weightData))).toEqual(
      Array.from(new Float32Array(a.artifacts.weightData)),
    );
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
    client.terminate();
    expect(peers.made[0].terminated).toBe(true);
  });

  it("starts the backend once per worker with the app's wasm path, and leaves the caller's arrays intact", async () => {
    const workers = realWorkers();
    const client = new TrainClient({ createWorker: workers.create });
    expect(workers.made.length).toBe(0);
    expect(await client.init()).toBe("cpu");
    const res = await client.train(request(1));
    expect(res.stopReason).toBe("completed");
    expect(res.predictions.test.length).toBe(task.test.ends.length * 4);
    expect(task.source.matrix.byteLength).toBeGreaterThan(0); // copied, not moved
    expect(workers.inits).toEqual([["auto", WASM_BASE, undefined, []]]); // no peer workers without a factory
    expect(workers.made.length).toBe(1);
    client.terminate();
  });

  it("an abort asks the worker's cooperative cancel: training stops with its best weights and the worker lives on", async () => {
    const workers = realWorkers();
    const client = new TrainClient({ createWorker: workers.create });
    const ctrl = new AbortController();
    const res = await client.train(request(50), {
      signal: ctrl.signal,
      // Abort once an epoch is done, so there are best weights to keep.
      onCheckpoint: (c) => void (c.epoch === 1 && ctrl.abort()),
    });
    expect(res.stopReason).toBe("aborted");
    expect(res.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(res.history.length).toBeLessThan(50);
    expect(res.artifacts.weightData.byteLength).toBeGreaterThan(0);
    expect(res.predictions.test.length).toBe(task.test.ends.length * 4);
    expect(workers.made[0].terminated).toBe(false);
    expect((await client.memory()).backend).toBe("cpu");
    client.terminate();
    expect(workers.made[0].terminated).toBe(true);
  });

  it("a worker that does not stop after cancel is terminated after the grace period (AbortError)", async () => {
    const cancelled = deferred();
    const factory = fakeWorkerFactory(() => ({
      init: async () => "cpu",
      train: () => new Promise<never>(() => undefined), // a batch that never ends
      cancel: () => cancelled.resolve(),
    }));
    const client = new TrainClient({ createWorker: factory.create, cancelGraceMs: 60 });
    const ctrl = new AbortController();
    const run = client.train(request(1), { signal: ctrl.signal });
    await sleep(10);
    ctrl.abort();
    await cancelled.promise; // asked first
    expect(factory.made[0].terminated).toBe(false);
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(factory.made[0].terminated).toBe(true);
    // The next call starts a fresh worker and backend.
    expect(await client.init()).toBe("cpu");
    expect(factory.made.length).toBe(2);
    client.terminate();
  });

  it("a training worker that dies rejects the run with a clear error", async () => {
    const factory = fakeWorkerFactory(() => ({
      init: async () => "webgpu",
      train: () => new Promise(() => undefined),
    }));
    const client = new TrainClient({ createWorker: factory.create });
    const run = client.train(request(1));
    await sleep(10);
    factory.made[0].fail("out of memory");
    await expect(run).rejects.toThrow("training worker failed: out of memory");
  });
});
