import { type Activation, type Mlp, type MlpLayer, mlpParamCount, type Random } from '@proximal/core';
import { tf } from '../tf.js';
import { dense } from './fast-ops.js';
import { orthogonal } from './orthogonal.js';

/** tfjs variable names are global: a counter keeps those of several models apart. */
let nextId = 0;

/**
 * A stack of dense layers held as tfjs variables, convertible to and from the flat parameter
 * layout of `@proximal/core`'s `Mlp` (per layer: kernel [in, out] row-major, then bias [out]).
 */
export class DenseStack {
  readonly layers: MlpLayer[];
  readonly kernels: tf.Variable<tf.Rank.R2>[];
  readonly biases: tf.Variable<tf.Rank.R1>[];
  private readonly flat: Float32Array;

  constructor(layers: MlpLayer[], params: Float32Array, name: string) {
    this.layers = layers;
    this.flat = new Float32Array(mlpParamCount(layers));
    this.kernels = [];
    this.biases = [];
    let o = 0;
    layers.forEach((l, i) => {
      const k = params.subarray(o, o + l.inSize * l.outSize);
      o += l.inSize * l.outSize;
      const b = params.subarray(o, o + l.outSize);
      o += l.outSize;
      const id = nextId++;
      this.kernels.push(
        tf.variable(tf.tensor2d(k, [l.inSize, l.outSize]), true, `${name}/l${i}/kernel#${id}`),
      );
      this.biases.push(tf.variable(tf.tensor1d(b), true, `${name}/l${i}/bias#${id}`));
    });
  }

  /**
   * Orthogonally initialized stack: `sizes` = [in, hidden..., out]; hidden layers use `activation`
   * and gain √2, the output layer is linear with `outputGain` (0.01 for policy logits, 1 for values)
   * unless `activateLast` (a shared trunk: every layer activated, gain √2),
   * biases zero — the initialization of the PPO implementation-details study (Huang et al. 2022).
   */
  static orthogonal(
    sizes: number[],
    activation: Activation,
    outputGain: number,
    rng: Random,
    name: string,
    activateLast = false,
  ): DenseStack {
    const layers: MlpLayer[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const last = i + 2 === sizes.length && !activateLast;
      layers.push({ inSize: sizes[i], outSize: sizes[i + 1], activation: last ? 'linear' : activation });
    }
    const params = new Float32Array(mlpParamCount(layers));
    let o = 0;
    for (const [i, l] of layers.entries()) {
      const isOutput = i === layers.length - 1 && !activateLast;
      const gain = isOutput ? outputGain : Math.SQRT2;
      params.set(orthogonal(l.inSize, l.outSize, gain, rng), o);
      o += l.inSize * l.outSize + l.outSize;
    }
    return new DenseStack(layers, params, name);
  }

  /**
   * PyTorch's default `nn.Linear` initialization (what SB3 uses with `ortho_init=False`): kernel and
   * bias uniform in [−1/√in, 1/√in) (Kaiming-uniform with a = √5), drawn from `rng`. `sizes`,
   * `activation` and `activateLast` as {@link DenseStack.orthogonal}.
   */
  static uniform(
    sizes: number[],
    activation: Activation,
    rng: Random,
    name: string,
    activateLast = false,
  ): DenseStack {
    const layers: MlpLayer[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const last = i + 2 === sizes.length && !activateLast;
      layers.push({ inSize: sizes[i], outSize: sizes[i + 1], activation: last ? 'linear' : activation });
    }
    const params = new Float32Array(mlpParamCount(layers));
    let o = 0;
    for (const l of layers) {
      const bound = 1 / Math.sqrt(l.inSize);
      for (let k = 0; k < l.inSize * l.outSize + l.outSize; k++)
        params[o++] = rng.uniformRange(-bound, bound);
    }
    return new DenseStack(layers, params, name);
  }

  /** Number of parameters. */
  get numParams(): number {
    return this.flat.length;
  }

  /** The trainable variables, kernel then bias per layer. */
  get variables(): tf.Variable[] {
    const out: tf.Variable[] = [];
    for (let i = 0; i < this.layers.length; i++) out.push(this.kernels[i], this.biases[i]);
    return out;
  }

  /** Forward pass on a [batch, in] tensor (inside a tidy or gradient scope). */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    this.layers.forEach((l, i) => {
      h = dense(h, this.kernels[i], this.biases[i], l.activation);
    });
    return h;
  }

  /**
   * Forward pass through layers [from, to) only, on a [batch, layers[from].inSize] tensor (inside a
   * tidy or gradient scope); e.g. `applyRange(x, 0, L − 1)` gives the last hidden layer.
   */
  applyRange(x: tf.Tensor2D, from: number, to: number): tf.Tensor2D {
    let h = x;
    for (let i = from; i < to; i++) h = dense(h, this.kernels[i], this.biases[i], this.layers[i].activation);
    return h;
  }

  /** Current parameters as a core `Mlp` (the returned params array is reused by later calls). */
  toMlp(): Mlp {
    let o = 0;
    for (let i = 0; i < this.layers.length; i++) {
      const k = this.kernels[i].dataSync() as Float32Array;
      this.flat.set(k, o);
      o += k.length;
      const b = this.biases[i].dataSync() as Float32Array;
      this.flat.set(b, o);
      o += b.length;
    }
    return { layers: this.layers, params: this.flat };
  }

  /** Copies flat parameters into the variables. @throws RangeError on a length mismatch. */
  setParams(params: Float32Array): void {
    if (params.length !== this.flat.length) {
      throw new RangeError(`params has length ${params.length}, expected ${this.flat.length}`);
    }
    let o = 0;
    tf.tidy(() => {
      this.layers.forEach((l, i) => {
        this.kernels[i].assign(
          tf.tensor2d(params.subarray(o, o + l.inSize * l.outSize), [l.inSize, l.outSize]),
        );
        o += l.inSize * l.outSize;
        this.biases[i].assign(tf.tensor1d(params.subarray(o, o + l.outSize)));
        o += l.outSize;
      });
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
