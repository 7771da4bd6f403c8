import { type KernelOptions, resolveBackend } from './backend/dispatch.js';
import {
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

/** Inputs of {@link vtrace}. Every [T, N] array is time-major and flattened: (t, n) at `t * numEnvs + n`. */
export interface VtraceArgs {
  /** log μ(a_t | x_t) of the behaviour policy that acted (the worker's), float32 [T, N]. */
  behaviourLogProbs: Float32Array;
  /** log π(a_t | x_t) of the target policy being learned (the learner's), float32 [T, N]. */
  targetLogProbs: Float32Array;
  /** r_t, float32 [T, N]. */
  rewards: Float32Array;
  /** V(x_t) under the learner's value function, float32 [T, N]. */
  values: Float32Array;
  /** V(x_T), the value of the state after the last step, float32 [N]. */
  bootstrapValues: Float32Array;
  /**
   * 1 where the episode reached a terminal state at step t, uint8 [T, N]: the discount of that step
   * is 0, which drops the bootstrap and cuts the trace (the next row starts a new episode).
   */
  terminated: Uint8Array;
  /** N, the number of parallel environments (columns). */
  numEnvs: number;
  /** Discount factor γ in [0, 1]. */
  gamma: number;
  /** λ in [0, 1] multiplying the trace coefficients c_i (Espeholt et al. 2018, remark 2). Default 1. */
  lambda?: number;
  /** ρ̄ of the value targets' importance weights, > 0 (`Infinity` = no clipping). Default 1. */
  clipRhoThreshold?: number;
  /** ρ̄ of the policy-gradient advantages' importance weights, > 0 (`Infinity` = no clipping). Default 1. */
  clipPgRhoThreshold?: number;
  /** c̄ of the trace coefficients, > 0 (`Infinity` = no clipping). Default 1. */
  clipCThreshold?: number;
  /**
   * Preallocated outputs (Float32Array [T, N] each, sharing no memory with an input or each other),
   * written and returned instead of new arrays. Default: new arrays per call.
   */
  out?: VtraceOut;
}

/** Preallocated outputs of {@link vtrace} (see {@link VtraceArgs.out}). */
export interface VtraceOut {
  vs?: Float32Array;
  pgAdvantages?: Float32Array;
}

/** Outputs of {@link vtrace}, float32 [T, N]. */
export interface VtraceResult {
  /** The V-trace value targets v_s. */
  vs: Float32Array;
  /** ρ^pg_s (r_s + γ_s v_{s+1} − V(x_s)), the policy-gradient advantages. */
  pgAdvantages: Float32Array;
}

const VTRACE_KEYS = [
  'behaviourLogProbs',
  'targetLogProbs',
  'rewards',
  'values',
  'bootstrapValues',
  'terminated',
  'numEnvs',
  'gamma',
  'lambda',
  'clipRhoThreshold',
  'clipPgRhoThreshold',
  'clipCThreshold',
  'out',
];

function checkThreshold(name: string, value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new RangeError(`${name} must be a number > 0 (Infinity = no clipping), got ${String(value)}`);
  }
  return value;
}

/**
 * V-trace targets and policy-gradient advantages (Espeholt et al. 2018, "IMPALA: Scalable
 * Distributed Deep-RL with Importance Weighted Actor-Learner Architectures", eq. 1 and section 4.2),
 * over a time-major rollout [T, N] collected by a behaviour policy μ and evaluated under π:
 *
 * ```
 * ρ_t = min(ρ̄, π(a_t|x_t) / μ(a_t|x_t)),  c_t = λ min(c̄, π/μ),  γ_t = γ (1 − terminated_t)
 * δ_t = ρ_t (r_t + γ_t V(x_{t+1}) − V(x_t))                 (V(x_T) = bootstrapValues)
 * v_s − V(x_s) = δ_s + γ_s c_s (v_{s+1} − V(x_{s+1})),       v_T = V(x_T)
 * pgAdvantages_s = min(ρ̄_pg, π/μ) (r_s + γ_s v_{s+1} − V(x_s))
 * ```
 * computed by the backward recursion (equal to eq. 1's sum), float64 accumulation, as DeepMind's
 * reference `scalable_agent/vtrace.py` (`from_importance_weights`). On-policy (π = μ) with
 * ρ̄ = c̄ = λ = 1, `vs` is the n-step bootstrapped return.
 *
 * @param options `backend` (only the TypeScript implementation exists: 'auto' and 'js' run it,
 *   'native' and 'cuda' throw), `threads` (checked, no effect), `checkFinite` (default true).
 * @returns float32 arrays `vs` and `pgAdvantages` [T, N]: `out.vs` / `out.pgAdvantages` when given.
 * @throws TypeError for a wrong dtype, a missing input or an unknown key in `args`, `out` or
 *   `options`; RangeError for a length mismatch (naming both lengths), an output sharing memory with
 *   an input, numEnvs not a positive integer dividing rewards.length, gamma/lambda outside [0, 1], a
 *   threshold ≤ 0 or NaN, a flag other than 0/1, or (with checkFinite) a NaN/infinite element of a
 *   float input (naming it and its index); Error for a backend without this kernel.
 */
export function vtrace(args: VtraceArgs, options: KernelOptions = {}): VtraceResult {
  const { checkFinite: check } = checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'vtrace');
  if (choice.backend !== 'js') throw new Error("backend 'native' has no 'vtrace' kernel");
  const a = checkObject('vtrace arguments', args);
  checkKeys('vtrace arguments', a, VTRACE_KEYS);
  const rewards = checkTyped<Float32Array>('rewards', a.rewards, Float32Array);
  const n = checkInteger('numEnvs', a.numEnvs, 1);
  if (rewards.length % n !== 0) {
    throw new RangeError(`rewards has length ${rewards.length}, which is not a multiple of numEnvs = ${n}`);
  }
  const size = rewards.length;
  const what = 'rewards.length';
  const behaviour = checkTyped<Float32Array>('behaviourLogProbs', a.behaviourLogProbs, Float32Array);
  checkLength('behaviourLogProbs', behaviour, size, what);
  const target = checkTyped<Float32Array>('targetLogProbs', a.targetLogProbs, Float32Array);
  checkLength('targetLogProbs', target, size, what);
  const values = checkTyped<Float32Array>('values', a.values, Float32Array);
  checkLength('values', values, size, what);
  const boot = checkTyped<Float32Array>('bootstrapValues', a.bootstrapValues, Float32Array);
  checkLength('bootstrapValues', boot, n, 'numEnvs');
  const terminated = checkTyped<Uint8Array>('terminated', a.terminated, Uint8Array);
  checkLength('terminated', terminated, size, what);
  checkFlags('terminated', terminated);
  const gamma = checkNumberInRange('gamma', a.gamma, 0, 1);
  const lambda = a.lambda === undefined ? 1 : checkNumberInRange('lambda', a.lambda, 0, 1);
  const rhoBar = checkThreshold('clipRhoThreshold', a.clipRhoThreshold);
  const pgRhoBar = checkThreshold('clipPgRhoThreshold', a.clipPgRhoThreshold);
  const cBar = checkThreshold('clipCThreshold', a.clipCThreshold);
  const inputs = {
    behaviourLogProbs: behaviour,
    targetLogProbs: target,
    rewards,
    values,
    bootstrapValues: boot,
  };
  let outVs: Float32Array | undefined;
  let outPg: Float32Array | undefined;
  if (a.out !== undefined) {
    const o = checkOutputs('out', a.out, 'vs', 'pgAdvantages');
    outVs = checkOutput('out.vs', o.vs, size, what, inputs);
    outPg = checkOutput('out.pgAdvantages', o.pgAdvantages, size, what, { ...inputs, 'out.vs': outVs });
  }
  if (check) {
    checkFinite('behaviourLogProbs', behaviour);
    checkFinite('targetLogProbs', target);
    checkFinite('rewards', rewards);
    checkFinite('values', values);
    checkFinite('bootstrapValues', boot);
  }
  const vs = outVs ?? new Float32Array(size);
  const pg = outPg ?? new Float32Array(size);
  // acc[i] = v_{t+1} − V(x_{t+1}) of column i (0 at t = T−1: v_T = V(x_T)); vNext / vsNext of t+1
  const acc = new Float64Array(n);
  const vNext = Float64Array.from(boot);
  const vsNext = Float64Array.from(boot);
  for (let t = size / n - 1; t >= 0; t--) {
    for (let i = 0; i < n; i++) {
      const k = t * n + i;
      const ratio = Math.exp(target[k] - behaviour[k]);
      const rho = Math.min(rhoBar, ratio);
      const c = lambda * Math.min(cBar, ratio);
      const discount = terminated[k] ? 0 : gamma;
      const v = values[k];
      const delta = rho * (rewards[k] + discount * vNext[i] - v);
      const d = delta + discount * c * acc[i];
      pg[k] = Math.min(pgRhoBar, ratio) * (rewards[k] + discount * vsNext[i] - v);
      acc[i] = d;
      vNext[i] = v;
      vsNext[i] = v + d;
      vs[k] = v + d;
    }
  }
  return { vs, pgAdvantages: pg };
}
