import { checkLength, checkObject, checkTyped } from '../internal/checks.js';
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

/** Σ_s KL(π_old(·|s) ‖ π_new(·|s)) / B from the two heads' outputs. */
function meanKlFromOutputs(
  net: NetLayout,
  oldOut: Float64Array,
  oldParams: Float32Array,
  newOut: Float64Array,
  newParams: Float32Array,
  batch: number,
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
    for (let s = 0; s < batch; s++) {
      for (let j = 0; j < n; j++) {
        const l0 = oldParams[off + j];
        const l1 = newParams[off + j];
        const dm = oldOut[s * n + j] - newOut[s * n + j];
        total += l1 - l0 + (Math.exp(2 * l0) + dm * dm) / (2 * Math.exp(2 * l1)) - 0.5;
      }
    }
  }
  return total / batch;
}

/**
 * Mean KL divergence KL(π_old ‖ π_new) over a batch of states, in float64 (TRPO's trust-region
 * constraint, Schulman et al. 2015, eq. 12):
 * - categorical: Σ_a p_old(a) (log p_old(a) − log p_new(a)) with p = softmax(logits);
 * - diagonal Gaussian: Σ_j ℓ_new − ℓ_old + (σ_old² + (μ_old − μ_new)²) / (2 σ_new²) − 1/2.
 *
 * @param policyOld, policyNew MLP policies with the same head and output size (usually the same
 *   layers, before and after a step).
 * @param states float32 [batch ≥ 1, obsDim].
 * @throws TypeError/RangeError as {@link fisherVectorProduct} for either policy or the states;
 *   RangeError when the heads or output sizes differ.
 */
export function meanKl(policyOld: MlpPolicy, policyNew: MlpPolicy, states: Float32Array): number {
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
  const oldOut = mlpOutputs(netOld, pOld, states, batch);
  const newOut = mlpOutputs(netNew, pNew, states, batch);
  return meanKlFromOutputs(netOld, oldOut, pOld, newOut, pNew, batch);
}

function checkActions(net: NetLayout, actions: unknown, batch: number): Int32Array | Float32Array {
  if (net.head === 'categorical') {
    const a = checkTyped<Int32Array>('actions', actions, Int32Array);
    checkLength('actions', a, batch, 'batch');
    for (let i = 0; i < a.length; i++) {
      if (a[i] < 0 || a[i] >= net.outSize) {
        throw new RangeError(`actions[${i}] must be in [0, ${net.outSize - 1}], got ${a[i]}`);
      }
    }
    return a;
  }
  const a = checkTyped<Float32Array>('actions', actions, Float32Array);
  checkLength('actions', a, batch * net.outSize, 'batch · actionDim');
  return a;
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

/**
 * What TRPO's backtracking line search evaluates for a candidate θ_new (Schulman et al. 2015,
 * sec. 6 and appendix C): the importance-sampled surrogate
 * L(θ_new) = mean_s [π_new(a_s|s) / π_old(a_s|s) · Â_s] with the ratio exp(log π_new − oldLogProbs),
 * and the mean KL(π_old ‖ π_new) over the states (see {@link meanKl}). Float64 arithmetic.
 *
 * @returns `{ surrogate, kl }`.
 * @throws TypeError/RangeError for the policy, parameter vectors, states, actions, advantages or
 *   oldLogProbs (dtype, length).
 */
export function surrogateAndKl(args: SurrogateAndKlArgs): { surrogate: number; kl: number } {
  const a = checkObject('surrogateAndKl arguments', args) as unknown as SurrogateAndKlArgs;
  const net = policyLayout(checkObject('policy', a.policy) as unknown as MlpPolicyShape);
  const oldParams = checkParams(net, a.oldParams, 'oldParams');
  const newParams = checkParams(net, a.newParams, 'newParams');
  const batch = checkStates(net, a.states);
  const actions = checkActions(net, a.actions, batch);
  const adv = checkTyped<Float32Array>('advantages', a.advantages, Float32Array);
  checkLength('advantages', adv, batch, 'batch');
  const oldLp = checkTyped<Float32Array>('oldLogProbs', a.oldLogProbs, Float32Array);
  checkLength('oldLogProbs', oldLp, batch, 'batch');
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
