/**
 * Observation preprocessing from the env's observation space to the policy's input features, as
 * Stable-Baselines3's `preprocess_obs` (stable_baselines3/common/preprocessing.py): Box as is,
 * Discrete(n) one-hot to n features, MultiDiscrete(nvec) one-hot per entry (Σ nvec features),
 * MultiBinary(n) as n float features.
 */

/** How raw env observations (float32, `rawDim` values each) become policy features (`featureDim` each). */
export interface ObservationEncoder {
  /** 'box': identity; 'one-hot': Discrete / MultiDiscrete; 'binary': MultiBinary (identity). */
  readonly kind: 'box' | 'one-hot' | 'binary';
  /** Values per raw observation (1 for Discrete, nvec.length for MultiDiscrete). */
  readonly rawDim: number;
  /** Values per feature vector (the policy's `obsDim`). */
  readonly featureDim: number;
  /** True when one observation is a scalar (Discrete): then only a `number` is a single observation. */
  readonly scalar: boolean;
  /**
   * Raw observations float32 [batch, rawDim] → features float32 [batch, featureDim] (the input
   * itself for 'box' and 'binary').
   * @throws RangeError when a discrete observation is not an integer in its space (naming it).
   */
  encode(raw: Float32Array): Float32Array;
}

/**
 * Reads the observation space of a vector env's single env (duck-typed like the action heads:
 * `n` for Discrete, `nvec` for MultiDiscrete, a `MultiBinary` JSON type, else a 1-D `shape`).
 * @throws RangeError when the space is none of these or not 1-D, naming the algorithm and the space.
 */
export function observationEncoder(space: unknown, algorithm: string): ObservationEncoder {
  const s = space as {
    n?: number;
    start?: number | ArrayLike<number>;
    nvec?: ArrayLike<number>;
    shape?: readonly number[];
    toJSON?: () => { type?: string };
  };
  if (typeof s?.n === 'number') {
    const start = typeof s.start === 'number' ? s.start : 0;
    return oneHot([s.n], [start], true);
  }
  if (s?.nvec) {
    const nvec = Array.from(s.nvec);
    const start = s.start && typeof s.start !== 'number' ? Array.from(s.start) : nvec.map(() => 0);
    return oneHot(nvec, start, false);
  }
  if (s?.shape?.length !== 1) {
    throw new RangeError(
      `${algorithm} needs a 1-D Box, Discrete, MultiDiscrete or 1-D MultiBinary observation space, got ${String(space)} (shape [${s?.shape?.join(', ')}])`,
    );
  }
  const d = s.shape[0];
  const binary = typeof s.toJSON === 'function' && s.toJSON()?.type === 'MultiBinary';
  return { kind: binary ? 'binary' : 'box', rawDim: d, featureDim: d, scalar: false, encode: (raw) => raw };
}

function oneHot(nvec: number[], start: number[], scalar: boolean): ObservationEncoder {
  const rawDim = nvec.length;
  const featureDim = nvec.reduce((a, b) => a + b, 0);
  return {
    kind: 'one-hot',
    rawDim,
    featureDim,
    scalar,
    encode(raw: Float32Array): Float32Array {
      const batch = raw.length / rawDim;
      const out = new Float32Array(batch * featureDim);
      for (let b = 0; b < batch; b++) {
        let offset = b * featureDim;
        for (let j = 0; j < rawDim; j++) {
          const k = raw[b * rawDim + j] - start[j];
          if (!Number.isInteger(k) || k < 0 || k >= nvec[j]) {
            const where = scalar ? `observation ${b}` : `observation ${b}, entry ${j}`;
            throw new RangeError(
              `${where} must be an integer in [${start[j]}, ${start[j] + nvec[j]}), got ${raw[b * rawDim + j]}`,
            );
          }
          out[offset + k] = 1;
          offset += nvec[j];
        }
      }
      return out;
    },
  };
}

/**
 * Reads what `predict` accepts: one observation or a batch of them, as SB3's `predict` tells them
 * apart by shape. A single observation is a `number` for a Discrete space (`rawDim` 1), else an
 * array of `rawDim` values; a batch is a flat array of `batch × rawDim` values (any array for a
 * Discrete space, whose single observation is a number).
 * @returns the raw observations float32 [batch, rawDim] and whether the input was a single observation.
 * @throws TypeError when observation is neither a number nor an array of numbers; RangeError when
 *   its length is not a positive multiple of rawDim.
 */
export function parseObservation(
  observation: number | ArrayLike<number>,
  enc: ObservationEncoder,
): { raw: Float32Array; single: boolean } {
  if (typeof observation === 'number') {
    if (enc.rawDim !== 1) {
      throw new TypeError(
        `observation must be an array of ${enc.rawDim} values (or a batch of them), got the number ${observation}`,
      );
    }
    return { raw: Float32Array.of(observation), single: true };
  }
  if (
    observation === null ||
    typeof observation !== 'object' ||
    typeof (observation as ArrayLike<number>).length !== 'number'
  ) {
    throw new TypeError(
      `observation must be a number or an array of numbers (Float32Array), got ${Object.prototype.toString.call(observation)}`,
    );
  }
  const raw = observation instanceof Float32Array ? observation : Float32Array.from(observation);
  if (raw.length === 0 || raw.length % enc.rawDim !== 0) {
    throw new RangeError(
      `observation has length ${raw.length}, expected a positive multiple of obsDim = ${enc.rawDim}`,
    );
  }
  return { raw, single: !enc.scalar && raw.length === enc.rawDim };
}
