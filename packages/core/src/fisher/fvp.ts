import { type KernelOptions, resolveBackend } from '../backend/dispatch.js';
import type { NativeAddon } from '../backend/native.js';
import {
  checkFinite,
  checkKernelOptions,
  checkObject,
  checkThreads,
  checkTyped,
} from '../internal/checks.js';
import { type CgOptions, type CgResult, cgFloat64, cgOptions } from './cg.js';
import { forwardState, jvpState, MlpTape, type Params, vjpState } from './mlp-ad.js';
import {
  checkNonNegative,
  checkParams,
  checkStates,
  type MlpPolicy,
  type NetLayout,
  policyLayout,
} from './policy.js';

/** Options of {@link fisherVectorProduct}. */
export interface FisherOptions extends KernelOptions {
  /** Tikhonov damping λ ≥ 0: the result is F v + λ v (default 0; TRPO uses 0.1). */
  damping?: number;
}

const FVP_OPTION_KEYS = ['damping'];
const CG_FISHER_OPTION_KEYS = ['damping', 'maxIterations', 'residualTolerance'];

/** Options of {@link conjugateGradientFisher}. */
export interface CgFisherOptions extends FisherOptions, CgOptions {}

interface CheckedPolicy {
  net: NetLayout;
  params: Float32Array;
  batch: number;
  damping: number;
  threads: number | undefined;
  checkFinite: boolean;
}

function checkPolicyArgs(policy: MlpPolicy, states: Float32Array, options: FisherOptions): CheckedPolicy {
  const net = policyLayout(policy);
  const params = checkParams(net, policy.params);
  const batch = checkStates(net, states);
  const damping = checkNonNegative('damping', options.damping, 0);
  const threads = checkThreads(options.threads);
  const check = options.checkFinite ?? true;
  return { net, params, batch, damping, threads, checkFinite: check };
}

/** Params, states, then the vector: the first NaN/infinite element (RangeError), with checkFinite. */
function checkPolicyFinite(c: CheckedPolicy, states: Float32Array, name: string, v: Float32Array): void {
  if (!c.checkFinite) return;
  checkFinite('params', c.params);
  checkFinite('states', states);
  checkFinite(name, v);
}

function checkVector(name: string, v: unknown, size: number): Float32Array {
  const a = checkTyped<Float32Array>(name, v, Float32Array);
  if (a.length !== size)
    throw new RangeError(`${name} has length ${a.length}, expected ${size} (= params.length)`);
  return a;
}

/**
 * F v + damping·v in float64 for a float64 direction (the TypeScript reference; one state at a
 * time, a single float64 accumulator over the batch).
 * @internal
 */
export function fvpFloat64(
  net: NetLayout,
  params: Params,
  states: ArrayLike<number>,
  batch: number,
  v: Params,
  damping: number,
): Float64Array {
  const tape = new MlpTape(net);
  const grad = new Float64Array(net.mlpParams);
  const od = net.outSize;
  const top = net.layers.length;
  const m = new Float64Array(od);
  const invVar = new Float64Array(od);
  if (net.head === 'diag-gaussian') {
    for (let j = 0; j < od; j++) invVar[j] = Math.exp(-2 * params[net.mlpParams + j]);
  }
  for (let s = 0; s < batch; s++) {
    forwardState(net, params, states, s, tape);
    const u = jvpState(net, params, v, tape);
    const o = tape.h[top];
    if (net.head === 'categorical') {
      // M u = p ⊙ u − p (pᵀu), p = softmax(o)
      let mx = o[0];
      for (let j = 1; j < od; j++) if (o[j] > mx) mx = o[j];
      let sum = 0;
      for (let j = 0; j < od; j++) sum += Math.exp(o[j] - mx);
      let pu = 0;
      for (let j = 0; j < od; j++) pu += (Math.exp(o[j] - mx) / sum) * u[j];
      for (let j = 0; j < od; j++) m[j] = (Math.exp(o[j] - mx) / sum) * (u[j] - pu);
    } else {
      for (let j = 0; j < od; j++) m[j] = u[j] * invVar[j];
    }
    vjpState(net, params, m, tape, grad);
  }
  const out = new Float64Array(net.size);
  const scale = 1 / batch;
  for (let k = 0; k < net.mlpParams; k++) out[k] = grad[k] * scale + damping * v[k];
  for (let k = net.mlpParams; k < net.size; k++) out[k] = 2 * v[k] + damping * v[k];
  return out;
}

function nativeArgs(policy: MlpPolicy, states: Float32Array, options: FisherOptions) {
  const p = checkObject('policy', policy) as unknown as MlpPolicy;
  const args: Record<string, unknown> = { layers: p.layers, head: p.head, params: p.params, states };
  if (options.damping !== undefined) args.damping = options.damping;
  if (options.threads !== undefined) args.threads = options.threads;
  if (options.checkFinite !== undefined) args.checkFinite = options.checkFinite;
  return args;
}

type NativeFisher = NativeAddon & {
  fisherVectorProduct(args: Record<string, unknown>): Float32Array;
  fisherVectorProductAsync(args: Record<string, unknown>): Promise<Float32Array>;
  conjugateGradientFisher(args: Record<string, unknown>): CgResult;
  conjugateGradientFisherAsync(args: Record<string, unknown>): Promise<CgResult>;
};

/** Pure-TypeScript reference of {@link fisherVectorProduct} (float64 arithmetic, float32 result); checks and options as it. */
export function fisherVectorProductReference(
  policy: MlpPolicy,
  states: Float32Array,
  vector: Float32Array,
  options: FisherOptions = {},
): Float32Array {
  checkKernelOptions(options, FVP_OPTION_KEYS);
  const c = checkPolicyArgs(policy, states, options);
  const v = checkVector('vector', vector, c.net.size);
  checkPolicyFinite(c, states, 'vector', v);
  return Float32Array.from(fvpFloat64(c.net, c.params, states, c.batch, v, c.damping));
}

/**
 * Fisher-vector product of an MLP policy over a batch of states (TRPO's curvature, Schulman et
 * al. 2015, "Trust Region Policy Optimization", sec. 6 and appendix C):
 *
 * ```
 * F v = (1/B) Σ_s J_sᵀ M_s J_s v + damping · v
 * ```
 * J_s is the Jacobian of the last layer's outputs w.r.t. the MLP parameters at state s, applied
 * exactly in forward mode (tangent propagation) and then transposed in reverse mode (Pearlmutter
 * 1994; Martens 2014, "New insights and perspectives on the natural gradient method", sec. 9 —
 * the generalized Gauss–Newton form, which equals the Fisher for these heads). M_s is the head's
 * Fisher metric, the Hessian of KL(π_θ ‖ π_θ') at θ' = θ:
 * - `'categorical'` (over logits o, p = softmax(o)): M u = p ⊙ u − p (pᵀu);
 * - `'diag-gaussian'` with state-independent log-std ℓ: diag(1/σ²) on the means, and the log-std
 *   block of F is 2·I (so (F v)_ℓ = 2 v_ℓ + damping v_ℓ); no mean/log-std cross terms.
 * No second-order autodiff is involved (tfjs's is wrong through tanh/exp/softmax, tfjs issue #3252).
 *
 * @param policy layers, head and flat float32 params [P] (ARCHITECTURE.md's layout).
 * @param states float32 [batch ≥ 1, obsDim = layers[0].inSize].
 * @param vector the direction v, float32 [P].
 * @param options `damping` (≥ 0, default 0), `backend`, `threads` (native; checked, no effect on
 *   'js'), `checkFinite` (default true; see {@link KernelOptions}).
 * @returns F v + damping·v, float32 [P]; float64 arithmetic on every backend.
 * @throws TypeError for a non-array `layers`, a non-object layer, a non-Float32Array
 *   params/states/vector, or an unknown option; RangeError naming the argument for bad sizes,
 *   activation or head, sizes that do not chain, wrong lengths (both lengths in the message), empty
 *   states, a negative or non-finite damping, threads outside [1, 1024], or (with checkFinite) a
 *   NaN/infinite element of params, states or vector (naming it and its index); Error when the
 *   requested backend did not load.
 */
export function fisherVectorProduct(
  policy: MlpPolicy,
  states: Float32Array,
  vector: Float32Array,
  options: FisherOptions = {},
): Float32Array {
  checkKernelOptions(options, FVP_OPTION_KEYS);
  const choice = resolveBackend(options.backend, 'fisherVectorProduct');
  if (choice.backend === 'native') {
    return (choice.addon as NativeFisher).fisherVectorProduct({
      ...nativeArgs(policy, states, options),
      vector,
    });
  }
  return fisherVectorProductReference(policy, states, vector, options);
}

/** As {@link fisherVectorProduct}, off the main thread on the native backend (the reference runs inline). */
export async function fisherVectorProductAsync(
  policy: MlpPolicy,
  states: Float32Array,
  vector: Float32Array,
  options: FisherOptions = {},
): Promise<Float32Array> {
  checkKernelOptions(options, FVP_OPTION_KEYS);
  const choice = resolveBackend(options.backend, 'fisherVectorProductAsync');
  if (choice.backend === 'native') {
    return (choice.addon as NativeFisher).fisherVectorProductAsync({
      ...nativeArgs(policy, states, options),
      vector,
    });
  }
  return fisherVectorProductReference(policy, states, vector, options);
}

/** Pure-TypeScript reference of {@link conjugateGradientFisher} (float64 throughout). */
export function conjugateGradientFisherReference(
  policy: MlpPolicy,
  states: Float32Array,
  b: Float32Array,
  options: CgFisherOptions = {},
): CgResult {
  checkKernelOptions(options, CG_FISHER_OPTION_KEYS);
  const c = checkPolicyArgs(policy, states, options);
  const rhs = checkVector('b', b, c.net.size);
  const { maxIterations, residualTolerance } = cgOptions(options);
  checkPolicyFinite(c, states, 'b', rhs);
  const res = cgFloat64(
    (p) => fvpFloat64(c.net, c.params, states, c.batch, p, c.damping),
    rhs,
    maxIterations,
    residualTolerance,
    c.checkFinite ? 'Fisher-vector product' : undefined,
  );
  return { x: Float32Array.from(res.x), iterations: res.iterations, residual: res.residual };
}

/**
 * Solves (F + damping·I) x = b by conjugate gradient (see {@link conjugateGradient}) with the
 * Fisher-vector product of {@link fisherVectorProduct} as the matrix: TRPO's step direction
 * x ≈ F⁻¹ g (Schulman et al. 2015, appendix C). On the native backend the whole solve runs inside
 * the addon (no JavaScript round trip per step); on every backend the CG vectors stay in float64
 * between steps (unlike `conjugateGradient(v => fisherVectorProduct(...), b)`, which rounds p and
 * F p to float32 at each step).
 *
 * @param b right-hand side (TRPO: the policy gradient), float32 [P].
 * @param options `damping`, `maxIterations` (integer in [0, 2^31], default 10), `residualTolerance`
 *   (on rᵀr, default 1e-10), `backend`, `threads`, `checkFinite` (default true: the inputs and every
 *   Fisher-vector product must be finite).
 * @returns `{ x, iterations, residual }`, x float32 [P], residual = rᵀr at exit.
 * @throws as {@link fisherVectorProduct} (with `b` for `vector`), RangeError for
 *   maxIterations/residualTolerance out of range, and (with checkFinite) RangeError
 *   `Fisher-vector product[i] must be finite, got Infinity (conjugate gradient iteration k)` when a
 *   product is not finite (CG stops there).
 */
export function conjugateGradientFisher(
  policy: MlpPolicy,
  states: Float32Array,
  b: Float32Array,
  options: CgFisherOptions = {},
): CgResult {
  checkKernelOptions(options, CG_FISHER_OPTION_KEYS);
  const choice = resolveBackend(options.backend, 'conjugateGradientFisher');
  if (choice.backend === 'native') {
    return (choice.addon as NativeFisher).conjugateGradientFisher(cgNativeArgs(policy, states, b, options));
  }
  return conjugateGradientFisherReference(policy, states, b, options);
}

/** As {@link conjugateGradientFisher}, off the main thread on the native backend. */
export async function conjugateGradientFisherAsync(
  policy: MlpPolicy,
  states: Float32Array,
  b: Float32Array,
  options: CgFisherOptions = {},
): Promise<CgResult> {
  checkKernelOptions(options, CG_FISHER_OPTION_KEYS);
  const choice = resolveBackend(options.backend, 'conjugateGradientFisherAsync');
  if (choice.backend === 'native') {
    return (choice.addon as NativeFisher).conjugateGradientFisherAsync(
      cgNativeArgs(policy, states, b, options),
    );
  }
  return conjugateGradientFisherReference(policy, states, b, options);
}

function cgNativeArgs(policy: MlpPolicy, states: Float32Array, b: Float32Array, options: CgFisherOptions) {
  const args: Record<string, unknown> = { ...nativeArgs(policy, states, options), b };
  if (options.maxIterations !== undefined) args.maxIterations = options.maxIterations;
  if (options.residualTolerance !== undefined) args.residualTolerance = options.residualTolerance;
  return args;
}
