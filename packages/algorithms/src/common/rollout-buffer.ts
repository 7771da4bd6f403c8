/**
 * Time-major rollout storage for on-policy algorithms: element (t, n) of every [T, N] array is at
 * `t * numEnvs + n` (ARCHITECTURE.md; the layout of SB3's and CleanRL's buffers).
 */
export class RolloutBuffer {
  readonly numSteps: number;
  readonly numEnvs: number;
  readonly obsDim: number;
  /** float32 [T, N, obsDim] */
  readonly observations: Float32Array;
  readonly actionSize: number;
  /** float32 [T, N, actionSize] (indices for discrete heads) */
  readonly actions: Float32Array;
  /** float32 [T, N] */
  readonly rewards: Float32Array;
  readonly values: Float32Array;
  readonly nextValues: Float32Array;
  readonly logProbs: Float32Array;
  /** uint8 [T, N] */
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  advantages: Float32Array;
  returns: Float32Array;

  constructor(numSteps: number, numEnvs: number, obsDim: number, actionSize = 1) {
    this.numSteps = numSteps;
    this.numEnvs = numEnvs;
    this.obsDim = obsDim;
    this.actionSize = actionSize;
    const size = numSteps * numEnvs;
    this.observations = new Float32Array(size * obsDim);
    this.actions = new Float32Array(size * actionSize);
    this.rewards = new Float32Array(size);
    this.values = new Float32Array(size);
    this.nextValues = new Float32Array(size);
    this.logProbs = new Float32Array(size);
    this.terminated = new Uint8Array(size);
    this.truncated = new Uint8Array(size);
    this.advantages = new Float32Array(size);
    this.returns = new Float32Array(size);
  }

  get size(): number {
    return this.numSteps * this.numEnvs;
  }

  /** Gathers rows `indices` of the flattened [T*N] batch into minibatch arrays. */
  gather(indices: Int32Array, start: number, end: number): Minibatch {
    const b = end - start;
    const d = this.obsDim;
    const a = this.actionSize;
    const mb: Minibatch = {
      observations: new Float32Array(b * d),
      actions: new Float32Array(b * a),
      logProbs: new Float32Array(b),
      advantages: new Float32Array(b),
      returns: new Float32Array(b),
      values: new Float32Array(b),
    };
    for (let j = 0; j < b; j++) {
      const i = indices[start + j];
      mb.observations.set(this.observations.subarray(i * d, i * d + d), j * d);
      mb.actions.set(this.actions.subarray(i * a, i * a + a), j * a);
      mb.logProbs[j] = this.logProbs[i];
      mb.advantages[j] = this.advantages[i];
      mb.returns[j] = this.returns[i];
      mb.values[j] = this.values[i];
    }
    return mb;
  }
}

/** One minibatch of flattened rollout rows. */
export interface Minibatch {
  observations: Float32Array;
  /** float32 [B, actionSize] */
  actions: Float32Array;
  logProbs: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  values: Float32Array;
}

/**
 * Advantages normalized over the whole batch, `(A − mean) / (std + 1e-8)` with the unbiased
 * standard deviation (torch's `Tensor.std`), as SB3's A2C and sb3-contrib's TRPO do on the full
 * rollout. A batch of one element is returned unchanged (its std is undefined).
 * @param advantages float32 [size]; not modified.
 * @returns a new float32 [size] array.
 */
export function normalizeAdvantages(advantages: Float32Array): Float32Array {
  const adv = advantages.slice();
  const size = adv.length;
  if (size < 2) return adv;
  let mean = 0;
  for (let i = 0; i < size; i++) mean += adv[i];
  mean /= size;
  let ss = 0;
  for (let i = 0; i < size; i++) ss += (adv[i] - mean) ** 2;
  const std = Math.sqrt(ss / (size - 1));
  for (let i = 0; i < size; i++) adv[i] = (adv[i] - mean) / (std + 1e-8);
  return adv;
}
