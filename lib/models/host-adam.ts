/**
 * Adam with its update done in plain JS on host copies of the moments, for host-memory backends.
 * tf.train.adam runs about 12 kernels per variable per step (a Transformer has 39 variables:
 * ~470 of the ~1,400 kernels of a training step on tfjs-wasm, with their per-kernel cost); here a
 * step reads each gradient once and writes each variable once. Same update as tfjs's
 * AdamOptimizer (beta1 0.9, beta2 0.999, epsilon = the backend's, bias correction by
 * 1 - beta^t), in doubles rounded to float32 once; the saved state has tfjs's layout (iterations,
 * then the first moments, then the second moments), so checkpoints move between the two.
 */
import * as tf from "@tensorflow/tfjs";
import { readValues, tensorFrom } from "./host-io";

const BETA1 = 0.9;
const BETA2 = 0.999;

/** tfjs's optimiser weight entry (not exported by @tensorflow/tfjs). */
type NamedTensor = { name: string; tensor: tf.Tensor };

/** The update count and moments, as plain arrays: what a gradient peer's mirror starts from. */
export interface AdamState {
  iterations: number;
  moments: { name: string; shape: number[]; m: Float32Array; v: Float32Array }[];
}

interface Moments {
  name: string;
  shape: number[];
  m: Float32Array;
  v: Float32Array;
}

/**
 * value - Adam's step, into `out`; the moments m and v updated in place. A function of its own:
 * as a loop inside applyHost's callback V8 ran it ~3x slower in Chromium's workers (3.9 against
 * 1.2 ms per default Transformer step).
 */
function adamUpdate(
  value: Float32Array,
  out: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  lr: number,
  eps: number,
  correct1: number,
  correct2: number,
): void {
  for (let k = 0; k < value.length; k++) {
    const gk = g[k];
    const mk = (m[k] = BETA1 * m[k] + (1 - BETA1) * gk);
    const vk = (v[k] = BETA2 * v[k] + (1 - BETA2) * gk * gk);
    out[k] = value[k] - (lr * (mk / correct1)) / (Math.sqrt(vk / correct2) + eps);
  }
}

export class HostAdam extends tf.Optimizer {
  static get className(): string {
    return "HostAdam";
  }
  private readonly learningRate: number;
  private readonly epsilon: number;
  private moments: Moments[] = [];

  constructor(learningRate: number) {
    super();
    this.learningRate = learningRate;
    this.epsilon = tf.backend().epsilon();
    this.iterations_ = 0;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    const vars = entries.map(([name]) => tf.engine().registeredVariables[name]);
    this.applyHost(
      vars,
      entries.map(([, g], i) => (g == null ? new Float32Array(vars[i].size) : (g.dataSync() as Float32Array))),
    );
  }

  /** One step from host gradients, one array per variable in `vars` order (the sharded trainer's path). */
  applyHost(vars: tf.Variable[], grads: Float32Array[]): void {
    const t = this.iterations_ + 1;
    const correct1 = 1 - BETA1 ** t;
    const correct2 = 1 - BETA2 ** t;
    const lr = this.learningRate;
    const eps = this.epsilon;
    vars.forEach((variable, i) => {
      const g = grads[i];
      const state = (this.moments[i] ??= {
        name: variable.name,
        shape: variable.shape,
        m: new Float32Array(variable.size),
        v: new Float32Array(variable.size),
      });
      // Read and written in place on the wasm heap (host-io.ts): no arrays per step.
      const next = tensorFrom(variable.shape, (out) =>
        adamUpdate(readValues(variable), out, g, state.m, state.v, lr, eps, correct1, correct2),
      );
      variable.assign(next);
      next.dispose();
    });
    this.iterations_ = t;
  }

  /** A copy of the update count and moments (none before the first step of a fresh run). */
  exportState(): AdamState {
    return {
      iterations: this.iterations_,
      moments: this.moments.map(({ name, shape, m, v }) => ({ name, shape, m: m.slice(), v: v.slice() })),
    };
  }

  /** Takes an exported state (the optimiser then continues exactly as the one it came from). */
  importState(state: AdamState): void {
    this.iterations_ = state.iterations;
    this.moments = state.moments.map(({ name, shape, m, v }) => ({ name, shape, m: m.slice(), v: v.slice() }));
  }

  async getWeights(): Promise<NamedTensor[]> {
    const iter = { name: "iter", tensor: tf.scalar(this.iterations_, "int32") };
    const first = this.moments.map((s) => ({ name: `${s.name}/m`, tensor: tf.tensor(s.m, s.shape) }));
    const second = this.moments.map((s) => ({ name: `${s.name}/v`, tensor: tf.tensor(s.v, s.shape) }));
    return [iter, ...first, ...second];
  }

  async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const [iter, ...rest] = weightValues;
    this.iterations_ = (await iter.tensor.data())[0];
    const count = rest.length / 2;
    const read = async (t: tf.Tensor) => Float32Array.from(await t.data());
    this.moments = [];
    for (let i = 0; i < count; i++) {
      this.moments.push({
        name: rest[i].name.replace(/\/m$/, ""),
        shape: rest[i].tensor.shape,
        m: await read(rest[i].tensor),
        v: await read(rest[count + i].tensor),
      });
    }
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, epsilon: this.epsilon };
  }
}
