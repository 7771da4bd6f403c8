import { type KernelOptions, resolveBackend } from './backend/dispatch.js';
import type { NativeGaeArgs } from './backend/native.js';
import {
  addonArgs,
  checkFinite,
  checkFlags,
  checkInteger,
  checkKernelOptions,
  checkKeys,
  checkLength,
  checkNumberInRange,
  checkObject,
  checkOutput,
  checkOutputs,
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
  /**
   * Preallocated outputs (Float32Array [T, N] each, sharing no memory with an input or each other),
   * written and returned instead of new arrays, on every backend. Default: new arrays per call.
   */
  out?: GaeOut;
}

/** Preallocated outputs of {@link gae} / {@link gaeTokens} (see {@link GaeArgs.out}). */
export interface GaeOut {
  advantages?: Float32Array;
  returns?: Float32Array;
}

const GAE_KEYS = [
  'rewards',
  'values',
  'nextValues',
  'bootstrapValues',
  'terminated',
  'truncated',
  'numEnvs',
  'gamma',
  'lambda',
  'out',
];

/**
 * Checks the keys of a GAE-style argument object and its `out` (first, on every backend, so that
 * both report the same error first); returns the preallocated outputs.
 * @internal
 */
export function checkGaeOut(
  what: string,
  raw: unknown,
  keys: readonly string[],
  size: number | undefined,
  sizeWhat: string,
  inputs: Record<string, unknown>,
): { advantages: Float32Array | undefined; returns: Float32Array | undefined } {
  const a = checkObject(what, raw);
  checkKeys(what, a, keys);
  if (a.out === undefined) return { advantages: undefined, returns: undefined };
  const out = checkOutputs('out', a.out, 'advantages', 'returns');
  const advantages = checkOutput('out.advantages', out.advantages, size, sizeWhat, inputs);
  const returns = checkOutput('out.returns', out.returns, size, sizeWhat, {
    ...inputs,
    'out.advantages': advantages,
  });
  return { advantages, returns };
}

function gaeOut(raw: unknown) {
  const a = checkObject('gae arguments', raw);
  const size = a.rewards instanceof Float32Array ? a.rewards.length : undefined;
  return checkGaeOut('gae arguments', raw, GAE_KEYS, size, 'rewards.length', {
    rewards: a.rewards,
    values: a.values,
    nextValues: a.nextValues,
    bootstrapValues: a.bootstrapValues,
    terminated: a.terminated,
    truncated: a.truncated,
  });
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

/**
 * Pure-TypeScript reference of GAE; float64 accumulation, float32 outputs. Checks and options as
 * {@link gae} (`backend` and `threads` are checked and have no effect here).
 */
export function gaeReference(args: GaeArgs, options: KernelOptions = {}): GaeResult {
  const { checkFinite: check } = checkKernelOptions(options);
  const out = gaeOut(args);
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
  if (check) {
    checkFinite('rewards', rewards);
    checkFinite('values', values);
    checkFinite('nextValues', nextValues);
    checkFinite('bootstrapValues', bootstrapValues);
  }
  const size = rewards.length;
  const advantages = out.advantages ?? new Float32Array(size);
  const returns = out.returns ?? new Float32Array(size);
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
 * @param options `backend`, `threads` (native CPU threads; checked, no effect on 'js'),
 *   `checkFinite` (default true; see {@link KernelOptions}).
 * @returns float32 arrays `advantages` and `returns` [T, N]: `out.advantages` / `out.returns` when given.
 * @throws TypeError for a wrong dtype, a missing/duplicated value input or an unknown key in `args`,
 *   `out` or `options`; RangeError for a length mismatch (naming both lengths; outputs included), an
 *   output sharing memory with an input, numEnvs not a positive integer dividing rewards.length,
 *   gamma/lambda outside [0, 1], a flag other than 0/1, threads outside [1, 1024], or (with
 *   checkFinite) a NaN/infinite element of rewards, values, nextValues or bootstrapValues (naming it
 *   and its index); Error when the requested backend did not load.
 */
export function gae(args: GaeArgs, options: KernelOptions = {}): GaeResult {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'gae');
  if (choice.backend === 'native') return choice.addon.gae(nativeGaeArgs(args, options));
  return gaeReference(args, options);
}

/** As {@link gae}, off the main thread when the native backend runs it (the TypeScript reference runs inline). */
export async function gaeAsync(args: GaeArgs, options: KernelOptions = {}): Promise<GaeResult> {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'gaeAsync');
  if (choice.backend === 'native') return choice.addon.gaeAsync(nativeGaeArgs(args, options));
  return gaeReference(args, options);
}

/** The addon's arguments: `args` without `out`, its outputs and options as top-level keys. */
function nativeGaeArgs(args: GaeArgs, options: KernelOptions) {
  const out = gaeOut(args);
  return addonArgs(
    args,
    { advantages: out.advantages, returns: out.returns },
    options,
  ) as unknown as NativeGaeArgs;
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
