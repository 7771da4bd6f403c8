/**
 * The action distribution family of a policy, derived from the env's action space:
 * `Discrete(n)` → categorical, `MultiDiscrete(nvec)` → independent categoricals, `Box` →
 * diagonal Gaussian with a state-independent log-std.
 */
export type ActionHead =
  | { kind: 'categorical'; nvec: number[] }
  | { kind: 'diag-gaussian'; dim: number; low: Float32Array; high: Float32Array };

/** Width of the actor network's output: Σ nvec logits, or `dim` means. */
export function headOutputSize(h: ActionHead): number {
  return h.kind === 'categorical' ? h.nvec.reduce((a, b) => a + b, 0) : h.dim;
}

/** Numbers stored per action in rollout buffers: nvec.length indices, or dim floats. */
export function actionSize(h: ActionHead): number {
  return h.kind === 'categorical' ? h.nvec.length : h.dim;
}

/**
 * Reads the action head of a single-env action space (duck-typed: `n` for Discrete, `nvec` for
 * MultiDiscrete, `low`/`high`/`shape` for Box).
 * @throws RangeError for other spaces, naming the algorithm and the space.
 */
export function headFromSpace(space: unknown, algorithm: string): ActionHead {
  const s = space as {
    n?: number;
    start?: number;
    nvec?: ArrayLike<number>;
    low?: Float32Array;
    high?: Float32Array;
    shape?: readonly number[];
  };
  if (typeof s.n === 'number') {
    if (s.start && s.start !== 0)
      throw new RangeError(`${algorithm} needs Discrete spaces starting at 0, got start = ${s.start}`);
    return { kind: 'categorical', nvec: [s.n] };
  }
  if (s.nvec) return { kind: 'categorical', nvec: Array.from(s.nvec) };
  if (s.low instanceof Float32Array && s.high instanceof Float32Array && s.shape) {
    if (s.shape.length !== 1)
      throw new RangeError(`${algorithm} needs a 1-D Box action space, got shape [${s.shape.join(', ')}]`);
    return { kind: 'diag-gaussian', dim: s.shape[0], low: s.low, high: s.high };
  }
  const name = (space as { constructor?: { name?: string } })?.constructor?.name ?? typeof space;
  throw new RangeError(`${algorithm} supports Discrete, MultiDiscrete and Box action spaces, got ${name}`);
}

/** JSON form of a head, for saved models. */
export function headToJSON(h: ActionHead): Record<string, unknown> {
  return h.kind === 'categorical'
    ? { kind: h.kind, nvec: h.nvec }
    : { kind: h.kind, dim: h.dim, low: Array.from(h.low), high: Array.from(h.high) };
}
