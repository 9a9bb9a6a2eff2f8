/**
 * StudioLSTM: a Keras-compatible LSTM layer written for throughput on tfjs WASM.
 *
 * Math and weights are exactly Keras' LSTM (so the ONNX exporter can map it to an ONNX LSTM or
 * unrolled MatMuls): kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u], gate blocks in order
 * i, f, c, o along the last axis; zero initial state;
 *   z_t = x_t·kernel + h_{t-1}·recurrent_kernel + bias
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)   (σ = logistic sigmoid, not hard sigmoid)
 *   c_t = f ⊙ c_{t-1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)
 * Output: h_T [B, u], or every h_t [B, T, u] when returnSequences.
 *
 * Why not tf.layers.lstm: its cell runs ~140 kernels per step with hard-sigmoid clipping and
 * per-step input matmuls; here the input projection of all steps is one matmul and a step is
 * ~12 kernels (measured: 8,635 → far fewer kernels per training step).
 *
 * Two paths, same function: where fusedOpsEnabled() (wasm, cpu) the recurrence after the input
 * projection is one custom op (lstm-fused.ts: gate math in JS, only the matmuls on the backend,
 * hand-written BPTT gradient); GPU backends run the op-by-op recurrence below, which is also the
 * reference the fused op is tested against.
 */
import * as tf from "@tensorflow/tfjs";
import { fusedOpsEnabled } from "./fused";
import { lstmRecurrence } from "./lstm-fused";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export class StudioLSTM extends tf.layers.Layer {
  static className = "StudioLSTM";
  readonly units: number;
  readonly returnSequences: boolean;
  readonly seed: number;
  private kernel!: tf.LayerVariable;
  private recurrentKernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;

  constructor(args: LayerArgs & { units: number; returnSequences?: boolean; seed?: number }) {
    super(args);
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.seed = args.seed ?? 0;
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    const inDim = shape[shape.length - 1];
    if (inDim == null) throw new Error("StudioLSTM needs a known input width");
    const u = this.units;
    this.kernel = this.addWeight(
      "kernel",
      [inDim, 4 * u],
      "float32",
      tf.initializers.glorotUniform({ seed: this.seed }),
    );
    this.recurrentKernel = this.addWeight(
      "recurrent_kernel",
      [u, 4 * u],
      "float32",
      tf.initializers.orthogonal({ seed: this.seed + 1, gain: 1 }),
    );
    // Keras unit_forget_bias: forget-gate bias starts at 1.
    this.bias = this.addWeight("bias", [4 * u], "float32", tf.initializers.zeros());
    const init = tf.tidy(() => tf.concat([tf.zeros([u]), tf.ones([u]), tf.zeros([2 * u])]));
    this.bias.write(init);
    init.dispose();
    this.built = true;
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, t, inDim] = x.shape as [number, number, number];
      const u = this.units;
      // All steps' input projections in one matmul.
      const xk = tf.matMul(x.reshape([b * t, inDim]), this.kernel.read());
      const rk = this.recurrentKernel.read();
      if (fusedOpsEnabled()) {
        const xk3 = xk.reshape([b, t, 4 * u]) as tf.Tensor3D;
        return lstmRecurrence(xk3, rk as tf.Tensor2D, this.bias.read() as tf.Tensor1D, this.returnSequences);
      }
      // Op by op: bias, then time-major steps.
      const xw = xk.add(this.bias.read()).reshape([b, t, 4 * u]);
      const steps = tf.unstack(xw.transpose([1, 0, 2]));
      let h: tf.Tensor | null = null;
      let c: tf.Tensor | null = null;
      const outs: tf.Tensor[] = [];
      for (let s = 0; s < t; s++) {
        const z: tf.Tensor = h ? steps[s].add(tf.matMul(h, rk)) : steps[s];
        const [zi, zf, zg, zo] = tf.split(z, 4, 1);
        const i = tf.sigmoid(zi);
        const g = tf.tanh(zg);
        const cNew: tf.Tensor = c ? tf.sigmoid(zf).mul(c).add(i.mul(g)) : i.mul(g);
        c = cNew;
        h = tf.sigmoid(zo).mul(tf.tanh(cNew));
        if (this.returnSequences) outs.push(h);
      }
      if (!h) throw new Error("StudioLSTM needs at least one time step");
      return this.returnSequences ? tf.stack(outs, 1) : h;
    });
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const shape = inputShape as tf.Shape;
    return this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, returnSequences: this.returnSequences, seed: this.seed };
  }
}

tf.serialization.registerClass(StudioLSTM);
