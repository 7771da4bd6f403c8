import { type KernelOptions, resolveBackend } from '../backend/dispatch.js';
import type { NativeAddon } from '../backend/native.js';
import {
  checkFinite,
  checkKernelOptions,
  checkKeys,
  checkLength,
  checkObject,
  checkTyped,
} from '../internal/checks.js';
import { mlpOutputs } from './mlp-ad.js';
import {
  checkParams,
  checkStates,
  type MlpPolicy,
  type MlpPolicyShape,
  type NetLayout,
  policyLayout,
} from './policy.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** log-softmax of row s of logits [batch, n] into out [n]. */
function logSoftmax(o: Float64Array, s: number, n: number, out: Float64Array): void {
  const base = s * n;
  let mx = o[base];
  for (let j = 1; j < n; j++) if (o[base + j] > mx) mx = o[base + j];
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(o[base + j] - mx);
  const lse = mx + Math.log(sum);
  for (let j = 0; j < n; j++) out[j] = o[base + j] - lse;
}

/**
 * Σ_s KL(π_old(·|s) ‖ π_new(·|s)) / B from the two heads' outputs. `newNet` is the layout of
 * `newParams` when it differs from `net` (meanKl of two architectures): a Gaussian log-std sits
 * after each policy's own MLP parameters.
 */
function meanKlFromOutputs(
  net: NetLayout,
  oldOut: Float64Array,
  oldParams: Float32Array,
  newOut: Float64Array,
  newParams: Float32Array,
  batch: number,
  newNet: NetLayout = net,
): number {
  const n = net.outSize;
  let total = 0;
  if (net.head === 'categorical') {
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let s = 0; s < batch; s++) {
      logSoftmax(oldOut, s, n, a);
      logSoftmax(newOut, s, n, b);
      for (let j = 0; j < n; j++) total += Math.exp(a[j]) * (a[j] - b[j]);
    }
  } else {
    // KL(N(μ0, σ0²) ‖ N(μ1, σ1²)) = Σ_j ℓ1 − ℓ0 + (σ0² + (μ0 − μ1)²) / (2σ1²) − 1/2
    const off = net.mlpParams;
    const offNew = newNet.mlpParams;
    for (let s = 0; s < batch; s++) {
      for (let j = 0; j < n; j++) {
        const l0 = oldParams[off + j];
        const l1 = newParams[offNew + j];
        const dm = oldOut[s * n + j] - newOut[s * n + j];
        total += l1 - l0 + (Math.exp(2 * l0) + dm * dm) / (2 * Math.exp(2 * l1)) - 0.5;
      }
    }
  }
  return total / batch;
}

/** Options of {@link meanKl} and {@link surrogateAndKl}: the kernel options (`backend`, `threads`, `checkFinite`). */
export interface LineSearchOptions extends KernelOptions {}

type NativeLineSearch = NativeAddon & {
  meanKl(args: Record<string, unknown>): number;
  meanKlAsync(args: Record<string, unknown>): Promise<number>;
  surrogateAndKl(args: Record<string, unknown>): { surrogate: number; kl: number };
  surrogateAndKlAsync(args: Record<string, unknown>): Promise<{ surrogate: number; kl: number }>;
};

/** Pure-TypeScript reference of {@link meanKl} (float64 arithmetic, states one at a time); checks and options as it. */
export function meanKlReference(
  policyOld: MlpPolicy,
  policyNew: MlpPolicy,
  states: Float32Array,
  options: LineSearchOptions = {},
): number {
  const { checkFinite: check } = checkKernelOptions(options);
  const netOld = policyLayout(policyOld, 'policyOld');
  const netNew = policyLayout(policyNew, 'policyNew');
  const pOld = checkParams(netOld, policyOld.params, 'policyOld.params');
  const pNew = checkParams(netNew, policyNew.params, 'policyNew.params');
  if (netOld.head !== netNew.head || netOld.outSize !== netNew.outSize || netOld.inSize !== netNew.inSize) {
    throw new RangeError(
      `policyOld (${netOld.head}, ${netOld.inSize} → ${netOld.outSize}) and policyNew (${netNew.head}, ${netNew.inSize} → ${netNew.outSize}) must have the same head, input and output sizes`,
    );
  }
  const batch = checkStates(netOld, states);
  if (check) {
    checkFinite('policyOld.params', pOld);
    checkFinite('policyNew.params', pNew);
    checkFinite('states', states);
  }
  const oldOut = mlpOutputs(netOld, pOld, states, batch);
  const newOut = mlpOutputs(netNew, pNew, states, batch);
  return meanKlFromOutputs(netOld, oldOut, pOld, newOut, pNew, batch, netNew);
}

function meanKlNativeArgs(
  policyOld: MlpPolicy,
  policyNew: MlpPolicy,
  states: Float32Array,
  options: LineSearchOptions,
): Record<string, unknown> {
  const args: Record<string, unknown> = { policyOld, policyNew, states };
  if (options.threads !== undefined) args.threads = options.threads;
  if (options.checkFinite !== undefined) args.checkFinite = options.checkFinite;
  return args;
}

/**
 * Mean KL divergence KL(π_old ‖ π_new) over a batch of states, in float64 (TRPO's trust-region
 * constraint, Schulman et al. 2015, eq. 12):
 * - categorical: Σ_a p_old(a) (log p_old(a) − log p_new(a)) with p = softmax(logits);
 * - diagonal Gaussian: Σ_j ℓ_new − ℓ_old + (σ_old² + (μ_old − μ_new)²) / (2 σ_new²) − 1/2.
 *
 * Runs in the native addon under `backend` 'auto' (when it loaded) or 'native': one forward pass
 * of each policy per block of 64 states, split over `threads`, block sums added in order (the
 * result does not depend on the thread count and agrees with {@link meanKlReference} to ~1e-15
 * relative, or a few 1e-16 absolute where the KL is a cancellation, π_new ≈ π_old).
 *
 * @param policyOld, policyNew MLP policies (layers, head, flat float32 params; ARCHITECTURE.md's
 *   layout) with the same head, input and output size (usually the same layers, before and after
 *   a step; their hidden layers may differ).
 * @param states float32 [batch ≥ 1, obsDim].
 * @param options `backend` (default 'auto'), `threads` (native; default all; checked, no effect on
 *   'js'), `checkFinite` (default true; see {@link KernelOptions}).
 * @returns the mean KL over the batch, a float64 number (0 for identical policies).
 * @throws TypeError/RangeError as {@link fisherVectorProduct} for either policy or the states
 *   (`policyOld must be an object`, `policyNew.params has length 5, expected 6 (= ...)`);
 *   RangeError when the heads, input or output sizes differ, for `threads` not an integer in
 *   [1, 1024], or (with checkFinite) for a NaN/infinite element of policyOld.params,
 *   policyNew.params or states (naming it and its index); TypeError for an unknown option; Error
 *   when the requested backend did not load.
 */
export function meanKl(
  policyOld: MlpPolicy,
  policyNew: MlpPolicy,
  states: Float32Array,
  options: LineSearchOptions = {},
): number {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'meanKl');
  if (choice.backend === 'native') {
    return (choice.addon as NativeLineSearch).meanKl(meanKlNativeArgs(policyOld, policyNew, states, options));
  }
  return meanKlReference(policyOld, policyNew, states, options);
}

/**
 * As {@link meanKl}, off the main thread on the native backend (the reference runs inline);
 * invalid arguments reject.
 */
export async function meanKlAsync(
  policyOld: MlpPolicy,
  policyNew: MlpPolicy,
  states: Float32Array,
  options: LineSearchOptions = {},
): Promise<number> {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'meanKlAsync');
  if (choice.backend === 'native') {
    return (choice.addon as NativeLineSearch).meanKlAsync(
      meanKlNativeArgs(policyOld, policyNew, states, options),
    );
  }
  return meanKlReference(policyOld, policyNew, states, options);
}

/** Checks the actions' dtype and length (the categorical index range: {@link checkActionRange}). */
function checkActions(net: NetLayout, actions: unknown, batch: number): Int32Array | Float32Array {
  if (net.head === 'categorical') {
    const a = checkTyped<Int32Array>('actions', actions, Int32Array);
    checkLength('actions', a, batch, 'batch');
    return a;
  }
  const a = checkTyped<Float32Array>('actions', actions, Float32Array);
  checkLength('actions', a, batch * net.outSize, 'batch · actionDim');
  return a;
}

/** RangeError at the first categorical action outside [0, outSize). */
function checkActionRange(net: NetLayout, actions: Int32Array | Float32Array): void {
  if (net.head !== 'categorical') return;
  for (let i = 0; i < actions.length; i++) {
    if (actions[i] < 0 || actions[i] >= net.outSize) {
      throw new RangeError(`actions[${i}] must be in [0, ${net.outSize - 1}], got ${actions[i]}`);
    }
  }
}

function logProbsFromOutputs(
  net: NetLayout,
  out: Float64Array,
  params: Float32Array,
  actions: Int32Array | Float32Array,
  batch: number,
): Float64Array {
  const n = net.outSize;
  const lp = new Float64Array(batch);
  if (net.head === 'categorical') {
    const row = new Float64Array(n);
    for (let s = 0; s < batch; s++) {
      logSoftmax(out, s, n, row);
      lp[s] = row[actions[s]];
    }
  } else {
    const off = net.mlpParams;
    for (let s = 0; s < batch; s++) {
      let t = 0;
      for (let j = 0; j < n; j++) {
        const ls = params[off + j];
        const z = (actions[s * n + j] - out[s * n + j]) / Math.exp(ls);
        t += -0.5 * z * z - ls - 0.5 * LOG_2PI;
      }
      lp[s] = t;
    }
  }
  return lp;
}

/**
 * log π(a_s | s) for every state of the batch, float32 [batch] (float64 arithmetic).
 * @param actions Int32Array [batch] of action indices (categorical) or Float32Array
 *   [batch, actionDim] (diagonal Gaussian: Σ_j −z²/2 − ℓ_j − log(2π)/2, z = (a − μ)/σ).
 * @throws TypeError/RangeError for the policy, states or actions (dtype, length, index range).
 */
export function policyLogProbs(
  policy: MlpPolicy,
  states: Float32Array,
  actions: Int32Array | Float32Array,
): Float32Array {
  const net = policyLayout(policy);
  const params = checkParams(net, policy.params);
  const batch = checkStates(net, states);
  const a = checkActions(net, actions, batch);
  checkActionRange(net, a);
  return Float32Array.from(
    logProbsFromOutputs(net, mlpOutputs(net, params, states, batch), params, a, batch),
  );
}

/** Arguments of {@link surrogateAndKl}. */
export interface SurrogateAndKlArgs {
  /** Layers and head (a `params` field, if present, is ignored). */
  policy: MlpPolicyShape;
  /** θ_old, float32 [P]: the policy that collected the data (KL reference). */
  oldParams: Float32Array;
  /** θ_new, float32 [P]: the candidate of the line search. */
  newParams: Float32Array;
  /** float32 [batch, obsDim]. */
  states: Float32Array;
  /** Int32Array [batch] (categorical) or Float32Array [batch, actionDim] (Gaussian). */
  actions: Int32Array | Float32Array;
  /** Â_s, float32 [batch]. */
  advantages: Float32Array;
  /** log π_old(a_s | s) recorded at rollout, float32 [batch]. */
  oldLogProbs: Float32Array;
}

const SURROGATE_AND_KL_KEYS = [
  'policy',
  'oldParams',
  'newParams',
  'states',
  'actions',
  'advantages',
  'oldLogProbs',
];

/** The arguments object, its keys checked. */
function surrogateAndKlObject(args: unknown): SurrogateAndKlArgs {
  const a = checkObject('surrogateAndKl arguments', args);
  checkKeys('surrogateAndKl arguments', a, SURROGATE_AND_KL_KEYS);
  return a as unknown as SurrogateAndKlArgs;
}

/** Pure-TypeScript reference of {@link surrogateAndKl} (float64 arithmetic, states one at a time); checks and options as it. */
export function surrogateAndKlReference(
  args: SurrogateAndKlArgs,
  options: LineSearchOptions = {},
): { surrogate: number; kl: number } {
  const { checkFinite: check } = checkKernelOptions(options);
  const a = surrogateAndKlObject(args);
  const net = policyLayout(checkObject('policy', a.policy) as unknown as MlpPolicyShape);
  const oldParams = checkParams(net, a.oldParams, 'oldParams');
  const newParams = checkParams(net, a.newParams, 'newParams');
  const batch = checkStates(net, a.states);
  const actions = checkActions(net, a.actions, batch);
  const adv = checkTyped<Float32Array>('advantages', a.advantages, Float32Array);
  checkLength('advantages', adv, batch, 'batch');
  const oldLp = checkTyped<Float32Array>('oldLogProbs', a.oldLogProbs, Float32Array);
  checkLength('oldLogProbs', oldLp, batch, 'batch');
  // Last, as the native binding (a pass over the data).
  checkActionRange(net, actions);
  if (check) {
    checkFinite('oldParams', oldParams);
    checkFinite('newParams', newParams);
    checkFinite('states', a.states);
    if (net.head !== 'categorical') checkFinite('actions', actions);
    checkFinite('advantages', adv);
    checkFinite('oldLogProbs', oldLp);
  }
  const oldOut = mlpOutputs(net, oldParams, a.states, batch);
  const newOut = mlpOutputs(net, newParams, a.states, batch);
  const lp = logProbsFromOutputs(net, newOut, newParams, actions, batch);
  let surrogate = 0;
  for (let s = 0; s < batch; s++) surrogate += Math.exp(lp[s] - oldLp[s]) * adv[s];
  return {
    surrogate: surrogate / batch,
    kl: meanKlFromOutputs(net, oldOut, oldParams, newOut, newParams, batch),
  };
}

function surrogateAndKlNativeArgs(args: SurrogateAndKlArgs, options: LineSearchOptions): SurrogateAndKlArgs {
  const out: Record<string, unknown> = { ...surrogateAndKlObject(args) };
  if (options.threads !== undefined) out.threads = options.threads;
  if (options.checkFinite !== undefined) out.checkFinite = options.checkFinite;
  return out as unknown as SurrogateAndKlArgs;
}

/**
 * What TRPO's backtracking line search evaluates for a candidate θ_new (Schulman et al. 2015,
 * sec. 6 and appendix C): the importance-sampled surrogate
 * L(θ_new) = mean_s [π_new(a_s|s) / π_old(a_s|s) · Â_s] with the ratio exp(log π_new − oldLogProbs),
 * and the mean KL(π_old ‖ π_new) over the states (see {@link meanKl}). Float64 arithmetic.
 * log π_new(a|s) is log softmax(logits)[a] (categorical) or Σ_j −z_j²/2 − ℓ_j − log(2π)/2 with
 * z = (a − μ)/σ (diagonal Gaussian, see {@link policyLogProbs}).
 *
 * Runs in the native addon under `backend` 'auto' (when it loaded) or 'native': one forward pass
 * of θ_old and θ_new per block of 64 states, split over `threads`, block sums added in order (the
 * result does not depend on the thread count; it agrees with {@link surrogateAndKlReference} to
 * ~1e-15 relative, or a few 1e-16 absolute for a KL that is a cancellation, θ_new ≈ θ_old).
 *
 * @param args `policy` (layers and head), `oldParams`/`newParams` float32 [P], `states` float32
 *   [batch ≥ 1, obsDim], `actions` (Int32Array [batch] for a categorical head, Float32Array
 *   [batch, actionDim] for a Gaussian one), `advantages` and `oldLogProbs` float32 [batch].
 * @param options `backend` (default 'auto'), `threads` (native; default all; checked, no effect on
 *   'js'), `checkFinite` (default true; see {@link KernelOptions}).
 * @returns `{ surrogate, kl }`, float64 numbers.
 * @throws TypeError/RangeError for the policy, parameter vectors, states, actions, advantages or
 *   oldLogProbs (dtype, length; `advantages has length 3, expected 2 (= batch)`), then for a
 *   categorical action outside [0, outSize) (`actions[1] must be in [0, 2], got 3`); RangeError for
 *   `threads` not an integer in [1, 1024], or (with checkFinite, after the action range) for a
 *   NaN/infinite element of oldParams, newParams, states, actions (Gaussian), advantages or
 *   oldLogProbs (naming it and its index); TypeError for an unknown key in `args` or `options`;
 *   Error when the requested backend did not load.
 */
export function surrogateAndKl(
  args: SurrogateAndKlArgs,
  options: LineSearchOptions = {},
): { surrogate: number; kl: number } {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'surrogateAndKl');
  if (choice.backend === 'native') {
    return (choice.addon as NativeLineSearch).surrogateAndKl(
      surrogateAndKlNativeArgs(args, options) as unknown as Record<string, unknown>,
    );
  }
  return surrogateAndKlReference(args, options);
}

/**
 * As {@link surrogateAndKl}, off the main thread on the native backend (the reference runs
 * inline); invalid arguments reject.
 */
export async function surrogateAndKlAsync(
  args: SurrogateAndKlArgs,
  options: LineSearchOptions = {},
): Promise<{ surrogate: number; kl: number }> {
  checkKernelOptions(options);
  const choice = resolveBackend(options.backend, 'surrogateAndKlAsync');
  if (choice.backend === 'native') {
    return (choice.addon as NativeLineSearch).surrogateAndKlAsync(
      surrogateAndKlNativeArgs(args, options) as unknown as Record<string, unknown>,
    );
  }
  return surrogateAndKlReference(args, options);
}
