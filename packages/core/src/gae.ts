import { type KernelOptions, resolveBackend } from './backend/dispatch.js';
import {
  checkFlags,
  checkInteger,
  checkLength,
  checkNumberInRange,
  checkObject,
  checkTyped,
} from './internal/checks.js';

/** Inputs of {@link gae}. Every [T, N] array is time-major and flattened: (t, n) at `t * numEnvs + n`. */
export interface GaeArgs {
  /** r_t, float32 [T, N]. */
  rewards: Float32Array;
  /** V(s_t), float32 [T, N]. */
  values: Float32Array;
  /** V(s_{t+1}) of the true successor (the final observation when the episode ended at t), float32 [T, N]. */
  nextValues?: Float32Array;
  /** V(s_T), float32 [N]; the successor of step t < T−1 is then step t+1 (CleanRL's form). */
  bootstrapValues?: Float32Array;
  /** 1 where the episode reached a terminal state at step t, uint8 [T, N]. */
  terminated: Uint8Array;
  /** 1 where the episode was cut off (time limit) at step t, uint8 [T, N]; needs `nextValues`. */
  truncated?: Uint8Array;
  /** N, the number of parallel environments (columns). */
  numEnvs: number;
  /** Discount factor γ in [0, 1]. */
  gamma: number;
  /** GAE smoothing λ in [0, 1]. */
  lambda: number;
}

/** Outputs of {@link gae}, float32 [T, N]. */
export interface GaeResult {
  advantages: Float32Array;
  returns: Float32Array;
}

interface CheckedGae extends GaeArgs {
  numSteps: number;
}

function checkGaeArgs(raw: unknown): CheckedGae {
  const args = checkObject('gae arguments', raw) as unknown as GaeArgs;
  const rewards = checkTyped<Float32Array>('rewards', args.rewards, Float32Array);
  const numEnvs = checkInteger('numEnvs', args.numEnvs, 1);
  if (rewards.length % numEnvs !== 0) {
    throw new RangeError(
      `rewards has length ${rewards.length}, which is not a multiple of numEnvs = ${numEnvs}`,
    );
  }
  const size = rewards.length;
  checkLength('values', checkTyped('values', args.values, Float32Array), size, 'rewards.length');
  checkLength('terminated', checkTyped('terminated', args.terminated, Uint8Array), size, 'rewards.length');
  checkFlags('terminated', args.terminated);
  if (args.truncated !== undefined) {
    checkLength('truncated', checkTyped('truncated', args.truncated, Uint8Array), size, 'rewards.length');
    checkFlags('truncated', args.truncated);
  }
  const hasNext = args.nextValues !== undefined;
  const hasBoot = args.bootstrapValues !== undefined;
  if (hasNext === hasBoot) {
    throw new TypeError('gae needs exactly one of nextValues [T, N] or bootstrapValues [N]');
  }
  if (hasNext) {
    checkLength(
      'nextValues',
      checkTyped('nextValues', args.nextValues, Float32Array),
      size,
      'rewards.length',
    );
  } else {
    checkLength(
      'bootstrapValues',
      checkTyped('bootstrapValues', args.bootstrapValues, Float32Array),
      numEnvs,
      'numEnvs',
    );
    if (args.truncated !== undefined) {
      throw new TypeError(
        'truncated needs nextValues: with bootstrapValues the value of a truncated episode’s final state is unknown',
      );
    }
  }
  checkNumberInRange('gamma', args.gamma, 0, 1);
  checkNumberInRange('lambda', args.lambda, 0, 1);
  return { ...args, numEnvs, numSteps: size / numEnvs };
}

/** Pure-TypeScript reference of GAE; float64 accumulation, float32 outputs. */
export function gaeReference(args: GaeArgs): GaeResult {
  const {
    rewards,
    values,
    nextValues,
    bootstrapValues,
    terminated,
    truncated,
    numEnvs: n,
    gamma,
    lambda,
  } = checkGaeArgs(args);
  const size = rewards.length;
  const advantages = new Float32Array(size);
  const returns = new Float32Array(size);
  const last = new Float64Array(n);
  for (let t = size / n - 1; t >= 0; t--) {
    const row = t * n;
    for (let i = 0; i < n; i++) {
      const k = row + i;
      let vNext: number;
      if (nextValues) vNext = nextValues[k];
      else vNext = t === size / n - 1 ? bootstrapValues![i] : values[k + n];
      const term = terminated[k];
      const done = term | (truncated ? truncated[k] : 0);
      const delta = rewards[k] + (term ? 0 : gamma * vNext) - values[k];
      const a = delta + (done ? 0 : gamma * lambda * last[i]);
      last[i] = a;
      advantages[k] = a;
      returns[k] = a + values[k];
    }
  }
  return { advantages, returns };
}

/**
 * Generalized advantage estimation over a time-major rollout [T, N].
 *
 * ```
 * delta_t = r_t + γ (1 − terminated_t) v'_t − v_t
 * A_t     = delta_t + γ λ (1 − (terminated_t ∨ truncated_t)) A_{t+1},   A_T = 0
 * returns = A + v
 * ```
 * where v'_t is `nextValues[t]`, or without it v_{t+1} (and `bootstrapValues` at t = T−1).
 * Source: Schulman et al. 2016, "High-Dimensional Continuous Control Using Generalized Advantage
 * Estimation", eq. 16; done handling as TorchRL's `generalized_advantage_estimate`.
 *
 * @returns new float32 arrays `advantages` and `returns` [T, N].
 * @throws TypeError for a wrong dtype or a missing/duplicated value input; RangeError for a length
 *   mismatch (naming both lengths), numEnvs not a positive integer dividing rewards.length,
 *   gamma/lambda outside [0, 1], or a flag other than 0/1; Error when the requested backend did not load.
 */
export function gae(args: GaeArgs, options: KernelOptions = {}): GaeResult {
  const choice = resolveBackend(options.backend, 'gae');
  if (choice.backend === 'native') return choice.addon.gae(stripUndefined(args));
  return gaeReference(args);
}

/** As {@link gae}, off the main thread when the native backend runs it (the TypeScript reference runs inline). */
export async function gaeAsync(args: GaeArgs, options: KernelOptions = {}): Promise<GaeResult> {
  const choice = resolveBackend(options.backend, 'gaeAsync');
  if (choice.backend === 'native') return choice.addon.gaeAsync(stripUndefined(args));
  return gaeReference(args);
}

function stripUndefined<T extends object>(args: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(checkObject('gae arguments', args))) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * Discounted returns G_t = r_t + γ (1 − done_t) G_{t+1} over a time-major [T, N] rollout, with
 * G_T = `bootstrapValues` (zeros by default). `dones` marks the last step of an episode.
 * Float64 accumulation, float32 output [T, N].
 * @throws TypeError/RangeError as {@link gae} for dtypes, lengths, numEnvs and gamma.
 */
export function discountedReturns(args: {
  rewards: Float32Array;
  dones: Uint8Array;
  numEnvs: number;
  gamma: number;
  bootstrapValues?: Float32Array;
}): Float32Array {
  const a = checkObject('discountedReturns arguments', args);
  const rewards = checkTyped<Float32Array>('rewards', a.rewards, Float32Array);
  const n = checkInteger('numEnvs', a.numEnvs, 1);
  if (rewards.length % n !== 0) {
    throw new RangeError(`rewards has length ${rewards.length}, which is not a multiple of numEnvs = ${n}`);
  }
  const dones = checkTyped<Uint8Array>('dones', a.dones, Uint8Array);
  checkLength('dones', dones, rewards.length, 'rewards.length');
  checkFlags('dones', dones);
  const gamma = checkNumberInRange('gamma', a.gamma, 0, 1);
  const running = new Float64Array(n);
  if (a.bootstrapValues !== undefined) {
    const b = checkTyped<Float32Array>('bootstrapValues', a.bootstrapValues, Float32Array);
    checkLength('bootstrapValues', b, n, 'numEnvs');
    running.set(b);
  }
  const out = new Float32Array(rewards.length);
  for (let t = rewards.length / n - 1; t >= 0; t--) {
    for (let i = 0; i < n; i++) {
      const k = t * n + i;
      running[i] = rewards[k] + (dones[k] ? 0 : gamma * running[i]);
      out[k] = running[i];
    }
  }
  return out;
}
