import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fvpFloat64 } from '../src/fisher/fvp.js';
import { mlpJvp, mlpOutputs, mlpVjp } from '../src/fisher/mlp-ad.js';
import { type NetLayout, policyLayout } from '../src/fisher/policy.js';
import {
  type Activation,
  type Backend,
  conjugateGradient,
  conjugateGradientFisher,
  conjugateGradientFisherAsync,
  fisherVectorProduct,
  fisherVectorProductAsync,
  type MlpLayer,
  type MlpPolicy,
  meanKl,
  type PolicyHead,
  policyLogProbs,
  policyParamCount,
  surrogateAndKl,
} from '../src/index.js';
import { nativeAvailable } from './helpers.js';

/** mulberry32 */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
}

function makeLayers(sizes: number[], hidden: Activation, last: Activation = 'linear'): MlpLayer[] {
  return sizes.slice(1).map((out, i) => ({
    inSize: sizes[i],
    outSize: out,
    activation: i === sizes.length - 2 ? last : hidden,
  }));
}

function randomPolicy(seed: number, layers: MlpLayer[], head: PolicyHead, scale = 0.5): MlpPolicy {
  const r = rng(seed);
  const n = policyParamCount({ layers, head });
  const params = Float32Array.from({ length: n }, () => gauss(r) * scale);
  return { layers, head, params };
}

function randomArray(seed: number, n: number, scale = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => gauss(r) * scale);
}

/** max_i |a_i − b_i| / max(|b_i|, 1e-3 ‖b‖∞): relative error, with a floor tied to the vector's scale. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let norm = 0;
  for (let i = 0; i < b.length; i++) norm = Math.max(norm, Math.abs(b[i]));
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-3 * norm, 1e-30);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

/** ‖a − b‖∞ / ‖b‖∞. */
function normErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    n = Math.max(n, Math.abs(b[i]));
  }
  return n === 0 ? d : d / n;
}

/**
 * ∇_θ' of mean_s KL(π_θ(·|s) ‖ π_θ'(·|s)), analytic, in float64 (θ, θ' float64):
 * categorical: ∂/∂logits' = softmax(o') − softmax(o); Gaussian: ∂/∂μ' = (μ' − μ)/σ'²,
 * ∂/∂ℓ' = 1 − (σ² + (μ − μ')²)/σ'²; then Jᵀ through the network at θ' (mlpVjp).
 */
function klGradient(
  net: NetLayout,
  theta: Float64Array,
  thetaP: Float64Array,
  states: Float32Array,
): Float64Array {
  const batch = states.length / net.inSize;
  const n = net.outSize;
  const o = mlpOutputs(net, theta, states, batch);
  const oP = mlpOutputs(net, thetaP, states, batch);
  const g = new Float64Array(batch * n);
  const out = new Float64Array(net.size);
  if (net.head === 'categorical') {
    const softmax = (x: Float64Array, s: number) => {
      let mx = -Infinity;
      for (let j = 0; j < n; j++) mx = Math.max(mx, x[s * n + j]);
      const e = Array.from({ length: n }, (_, j) => Math.exp(x[s * n + j] - mx));
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / z);
    };
    for (let s = 0; s < batch; s++) {
      const p = softmax(o, s);
      const q = softmax(oP, s);
      for (let j = 0; j < n; j++) g[s * n + j] = (q[j] - p[j]) / batch;
    }
  } else {
    for (let s = 0; s < batch; s++) {
      for (let j = 0; j < n; j++) {
        const l = theta[net.mlpParams + j];
        const lP = thetaP[net.mlpParams + j];
        const dm = oP[s * n + j] - o[s * n + j];
        g[s * n + j] = dm / Math.exp(2 * lP) / batch;
        out[net.mlpParams + j] += (1 - (Math.exp(2 * l) + dm * dm) / Math.exp(2 * lP)) / batch;
      }
    }
  }
  out.set(mlpVjp(net, thetaP, states, batch, g), 0);
  return out;
}

/** Dense F = (1/B) Σ_s J_sᵀ M_s J_s (+ 2I on the log-std block), J built column by column with jvp. */
function denseFisher(policy: MlpPolicy, states: Float32Array): Float64Array {
  const net = policyLayout(policy);
  const batch = states.length / net.inSize;
  const n = net.outSize;
  const P = net.size;
  const Pm = net.mlpParams;
  const jac = new Float64Array(batch * n * Pm); // [s, j, i]
  const e = new Float64Array(Pm);
  for (let i = 0; i < Pm; i++) {
    e.fill(0);
    e[i] = 1;
    const col = mlpJvp(net, policy.params, e, states, batch);
    for (let k = 0; k < batch * n; k++) jac[k * Pm + i] = col[k];
  }
  const out = mlpOutputs(net, policy.params, states, batch);
  const F = new Float64Array(P * P);
  for (let s = 0; s < batch; s++) {
    const M = new Float64Array(n * n);
    if (net.head === 'categorical') {
      let mx = -Infinity;
      for (let j = 0; j < n; j++) mx = Math.max(mx, out[s * n + j]);
      const p = Array.from({ length: n }, (_, j) => Math.exp(out[s * n + j] - mx));
      const z = p.reduce((a, b) => a + b, 0);
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) M[a * n + b] = ((a === b ? p[a] : 0) - (p[a] * p[b]) / z) / z;
    } else {
      for (let a = 0; a < n; a++) M[a * n + a] = Math.exp(-2 * policy.params[Pm + a]);
    }
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        const m = M[a * n + b];
        if (m === 0) continue;
        const ja = (s * n + a) * Pm;
        const jb = (s * n + b) * Pm;
        for (let i = 0; i < Pm; i++) {
          const x = (jac[ja + i] * m) / batch;
          for (let j = 0; j < Pm; j++) F[i * P + j] += x * jac[jb + j];
        }
      }
  }
  for (let i = Pm; i < P; i++) F[i * P + i] = 2;
  return F;
}

function matVec(A: Float64Array, v: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j] * v[j];
    out[i] = s;
  }
  return out;
}

function solveDense(A: Float64Array, b: ArrayLike<number>, n: number): Float64Array {
  const M = Float64Array.from(A);
  const y = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[piv * n + c])) piv = r;
    for (let j = 0; j < n; j++) [M[c * n + j], M[piv * n + j]] = [M[piv * n + j], M[c * n + j]];
    [y[c], y[piv]] = [y[piv], y[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / M[c * n + c];
      for (let j = c; j < n; j++) M[r * n + j] -= f * M[c * n + j];
      y[r] -= f * y[c];
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    for (let j = c + 1; j < n; j++) y[c] -= M[c * n + j] * y[j];
    y[c] /= M[c * n + c];
  }
  return y;
}

const heads: PolicyHead[] = ['categorical', 'diag-gaussian'];
const activations: Activation[] = ['tanh', 'relu', 'linear'];
const hasNative = nativeAvailable();
const backends: Backend[] = hasNative ? ['js', 'native'] : ['js'];

describe('fisherVectorProduct: mathematics (TypeScript reference)', () => {
  for (const head of heads) {
    for (const act of activations) {
      it(`${head}, ${act}: F v = central difference of ∇ mean KL (float64)`, () => {
        const layers = makeLayers([3, 6, 5, 4], act);
        const policy = randomPolicy(11, layers, head, 0.6);
        const net = policyLayout(policy);
        const states = randomArray(12, 40 * 3);
        const theta = Float64Array.from(policy.params);
        const v = Float64Array.from(randomArray(13, net.size));
        const h = 1e-5;
        const plus = Float64Array.from(theta, (t, i) => t + h * v[i]);
        const minus = Float64Array.from(theta, (t, i) => t - h * v[i]);
        const gp = klGradient(net, theta, plus, states);
        const gm = klGradient(net, theta, minus, states);
        const fd = gp.map((g, i) => (g - gm[i]) / (2 * h));
        const fv = fvpFloat64(net, theta, states, states.length / 3, v, 0);
        expect(relErr(fv, fd)).toBeLessThan(1e-4);
        // KL gradient vanishes at θ' = θ (so F is the Hessian of KL there).
        const g0 = klGradient(net, theta, theta, states);
        expect(Math.max(...g0.map(Math.abs))).toBeLessThan(1e-12);
      });

      for (const backend of backends) {
        it(`${head}, ${act}, ${backend}: matches the dense Fisher E[Jᵀ M J] built from the full Jacobian`, () => {
          const layers = makeLayers([4, 5, 3], act, act === 'relu' ? 'linear' : act);
          const policy = randomPolicy(21, layers, head, 0.7);
          const P = policy.params.length;
          const states = randomArray(22, 70 * 4);
          const F = denseFisher(policy, states);
          for (const damping of [0, 0.1]) {
            const v = randomArray(23 + damping * 10, P);
            const ref = matVec(F, v, P).map((x, i) => x + damping * v[i]);
            const fv = fisherVectorProduct(policy, states, v, { damping, backend });
            expect(relErr(fv, ref)).toBeLessThan(1e-4);
          }
          // Symmetric and positive semi-definite.
          for (let i = 0; i < P; i++) {
            for (let j = 0; j < i; j++) expect(F[i * P + j]).toBeCloseTo(F[j * P + i], 12);
          }
          const u = randomArray(29, P);
          const Fu = fisherVectorProduct(policy, states, u, { backend });
          expect(Fu.reduce((s, x, i) => s + x * u[i], 0)).toBeGreaterThanOrEqual(0);
        });
      }
    }
  }

  it('½ ε² vᵀ F v ≈ meanKl(θ, θ + ε v)', () => {
    for (const head of heads) {
      const policy = randomPolicy(31, makeLayers([5, 8, 3], 'tanh'), head);
      const states = randomArray(32, 50 * 5);
      const v = randomArray(33, policy.params.length);
      const fv = fisherVectorProduct(policy, states, v, { backend: 'js' });
      const quad = fv.reduce((s, x, i) => s + x * v[i], 0);
      const eps = 1e-2;
      const moved = { ...policy, params: policy.params.map((p, i) => p + eps * v[i]) };
      const kl = meanKl(policy, moved, states);
      expect(kl / (0.5 * eps * eps * quad)).toBeCloseTo(1, 1);
    }
  });

  it('a single-layer categorical policy: F = E[x xᵀ ⊗ (diag p − p pᵀ)] by hand', () => {
    // 1 input, 2 logits: params W [1, 2], b [2]. With x = 1 and zero params p = (½, ½),
    // M = [[¼, −¼], [−¼, ¼]] and J = [[1, 0, 1, 0], [0, 1, 0, 1]] (W00, W01, b0, b1).
    const policy: MlpPolicy = {
      layers: [{ inSize: 1, outSize: 2, activation: 'linear' }],
      head: 'categorical',
      params: new Float32Array(4),
    };
    const fv = fisherVectorProduct(policy, Float32Array.of(1), Float32Array.of(1, 0, 0, 0), {
      backend: 'js',
    });
    expect(Array.from(fv)).toEqual([0.25, -0.25, 0.25, -0.25]);
    const g = {
      ...policy,
      head: 'diag-gaussian' as const,
      params: Float32Array.of(0, 0, 0, 0, Math.log(2), 0),
    };
    const fg = fisherVectorProduct(g, Float32Array.of(3), Float32Array.of(1, 0, 0, 0, 1, 1), {
      backend: 'js',
      damping: 0.5,
    });
    // mean block: J v = (x·1, 0) = (3, 0); M = diag(1/4, 1) → (0.75, 0); Jᵀ: W00 += 3·0.75, b0 += 0.75.
    expect(Array.from(fg)).toEqual([2.25 + 0.5, 0, 0.75, 0, 2.5, 2.5]);
  });
});

describe('conjugateGradient', () => {
  it('solves random SPD systems like a direct solve', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1e9 }), (n, seed) => {
        const r = rng(seed);
        const G = Float64Array.from({ length: n * n }, () => gauss(r));
        const A = new Float64Array(n * n);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            let s = i === j ? 1 : 0;
            for (let t = 0; t < n; t++) s += G[i * n + t] * G[j * n + t];
            A[i * n + j] = s;
          }
        const b = Float32Array.from({ length: n }, () => gauss(r));
        const Af = Float64Array.from(Float32Array.from(A));
        const res = conjugateGradient((v) => Float32Array.from(matVec(Af, v, n)), b, {
          maxIterations: 5 * n,
          residualTolerance: 1e-20,
        });
        const direct = solveDense(Af, b, n);
        expect(relErr(res.x, direct)).toBeLessThan(1e-3);
        expect(res.iterations).toBeLessThanOrEqual(5 * n);
      }),
      { numRuns: 60 },
    );
  });

  it('stops at maxIterations, at the tolerance, on b = 0 and on a non-positive curvature', () => {
    const calls: number[] = [];
    const id = (v: Float32Array) => {
      calls.push(1);
      return Float32Array.from(v, (x, i) => x * (i + 1));
    };
    const b = Float32Array.of(1, 1, 1, 1);
    expect(conjugateGradient(id, b, { maxIterations: 2 }).iterations).toBe(2);
    const full = conjugateGradient(id, b);
    expect(full.iterations).toBe(4); // exact in n steps for n distinct eigenvalues
    expect(full.residual).toBeLessThan(1e-10);
    expect(Array.from(full.x).map((x) => Math.round(x * 1e5) / 1e5)).toEqual([1, 0.5, 0.33333, 0.25]);
    calls.length = 0;
    const zero = conjugateGradient(id, new Float32Array(4));
    expect(zero.iterations).toBe(0);
    expect(calls.length).toBe(0);
    const neg = conjugateGradient((v) => v.map((x) => -x), b);
    expect(neg.iterations).toBe(0);
    expect(neg.residual).toBe(4);
    expect(() => conjugateGradient(() => new Float32Array(3), b)).toThrow(
      /matVec result has length 3, expected 4/,
    );
    expect(() => conjugateGradient(id, b, { maxIterations: -1 })).toThrow(RangeError);
    expect(() => conjugateGradient(id, b, { residualTolerance: Number.NaN })).toThrow(/residualTolerance/);
  });

  for (const backend of backends) {
    it(`conjugateGradientFisher (${backend}) solves (F + λI) x = b`, async () => {
      const policy = randomPolicy(41, makeLayers([4, 7, 3], 'tanh'), 'diag-gaussian');
      const states = randomArray(42, 90 * 4);
      const P = policy.params.length;
      const F = denseFisher(policy, states);
      for (let i = 0; i < P; i++) F[i * P + i] += 0.1;
      const b = randomArray(43, P);
      const res = conjugateGradientFisher(policy, states, b, {
        damping: 0.1,
        maxIterations: 200,
        residualTolerance: 1e-16,
        backend,
      });
      expect(relErr(res.x, solveDense(F, b, P))).toBeLessThan(1e-3);
      const asyncRes = await conjugateGradientFisherAsync(policy, states, b, {
        damping: 0.1,
        maxIterations: 200,
        residualTolerance: 1e-16,
        backend,
      });
      expect(Array.from(asyncRes.x)).toEqual(Array.from(res.x));
    });
  }
});

describe('meanKl, policyLogProbs, surrogateAndKl', () => {
  it('categorical: closed forms against hand-computed values', () => {
    const policy: MlpPolicy = {
      layers: [{ inSize: 1, outSize: 2, activation: 'linear' }],
      head: 'categorical',
      params: Float32Array.of(0, 0, 0, 0),
    };
    const moved = { ...policy, params: Float32Array.of(0, 0, Math.log(3), 0) }; // p_new = (¾, ¼)
    const states = Float32Array.of(1, -1);
    expect(meanKl(policy, moved, states)).toBeCloseTo(
      0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25),
      7,
    );
    const lp = policyLogProbs(moved, states, Int32Array.of(0, 1));
    expect(lp[0]).toBeCloseTo(Math.log(0.75), 6);
    expect(lp[1]).toBeCloseTo(Math.log(0.25), 6);
    const res = surrogateAndKl({
      policy,
      oldParams: policy.params,
      newParams: moved.params,
      states,
      actions: Int32Array.of(0, 1),
      advantages: Float32Array.of(2, 1),
      oldLogProbs: Float32Array.of(Math.log(0.5), Math.log(0.5)),
    });
    expect(res.surrogate).toBeCloseTo((1.5 * 2 + 0.5 * 1) / 2, 6);
    expect(res.kl).toBeCloseTo(meanKl(policy, moved, states), 12);
  });

  it('Gaussian: KL and log-probabilities', () => {
    const layers = makeLayers([2, 3], 'linear');
    const old = randomPolicy(51, layers, 'diag-gaussian');
    const states = randomArray(52, 10 * 2);
    const actions = randomArray(53, 10 * 3);
    expect(meanKl(old, old, states)).toBe(0);
    const shifted = { ...old, params: Float32Array.from(old.params) };
    const P = old.params.length;
    shifted.params[P - 1] += 0.5; // one log-std up by ½: KL = ½ − ½(1 − e^{−1})... per state
    const expected = 0.5 + 1 / (2 * Math.exp(1)) - 0.5;
    expect(meanKl(old, shifted, states)).toBeCloseTo(expected, 6);
    const lp = policyLogProbs(old, states, actions);
    const res = surrogateAndKl({
      policy: old,
      oldParams: old.params,
      newParams: old.params,
      states,
      actions,
      advantages: Float32Array.from({ length: 10 }, (_, i) => i),
      oldLogProbs: lp,
    });
    expect(res.kl).toBe(0);
    expect(res.surrogate).toBeCloseTo(4.5, 5);
  });

  it('rejects bad arguments', () => {
    const p = randomPolicy(61, makeLayers([2, 3], 'tanh'), 'categorical');
    const s = new Float32Array(4);
    expect(() => policyLogProbs(p, s, Int32Array.of(0, 3))).toThrow(
      /actions\[1\] must be in \[0, 2\], got 3/,
    );
    expect(() => policyLogProbs(p, s, Float32Array.of(0, 1))).toThrow(TypeError);
    const g = randomPolicy(62, makeLayers([2, 3], 'tanh'), 'diag-gaussian');
    expect(() => meanKl(p, g, s)).toThrow(/same head/);
    expect(() =>
      surrogateAndKl({
        policy: p,
        oldParams: p.params,
        newParams: p.params,
        states: s,
        actions: Int32Array.of(0, 1),
        advantages: new Float32Array(3),
        oldLogProbs: new Float32Array(2),
      }),
    ).toThrow(/advantages has length 3, expected 2/);
  });
});

/** [description, policy, states, vector, options, error class, message pattern]. */
function badCases(): [string, unknown, unknown, unknown, Record<string, unknown>, typeof Error, RegExp][] {
  const layers = makeLayers([3, 4, 2], 'tanh');
  const ok = randomPolicy(71, layers, 'categorical');
  const states = new Float32Array(6);
  const vector = new Float32Array(ok.params.length);
  return [
    [
      'layers not an array',
      { ...ok, layers: 5 },
      states,
      vector,
      {},
      TypeError,
      /^layers must be a non-empty array/,
    ],
    [
      'layers empty',
      { ...ok, layers: [] },
      states,
      vector,
      {},
      TypeError,
      /^layers must be a non-empty array/,
    ],
    [
      'layer not an object',
      { ...ok, layers: [null] },
      states,
      vector,
      {},
      TypeError,
      /^layers\[0\] must be an object/,
    ],
    [
      'bad inSize',
      { ...ok, layers: [{ inSize: 0, outSize: 2, activation: 'tanh' }] },
      states,
      vector,
      {},
      RangeError,
      /^layers\[0\]\.inSize must be an integer in \[1, 16777216\]/,
    ],
    [
      'fractional outSize',
      { ...ok, layers: [{ inSize: 3, outSize: 2.5, activation: 'tanh' }] },
      states,
      vector,
      {},
      RangeError,
      /^layers\[0\]\.outSize must be an integer/,
    ],
    [
      'bad activation',
      { ...ok, layers: [layers[0], { ...layers[1], activation: 'sigmoid' }] },
      states,
      vector,
      {},
      RangeError,
      /^layers\[1\]\.activation must be 'tanh', 'relu' or 'linear', got 'sigmoid'$/,
    ],
    [
      'sizes do not chain',
      { ...ok, layers: [layers[0], { ...layers[1], inSize: 5 }] },
      states,
      vector,
      {},
      RangeError,
      /^layers\[1\]\.inSize is 5, expected 4 \(layers\[0\]\.outSize\)$/,
    ],
    [
      'bad head',
      { ...ok, head: 'gaussian' },
      states,
      vector,
      {},
      RangeError,
      /^head must be 'categorical' or 'diag-gaussian', got 'gaussian'$/,
    ],
    [
      'params dtype',
      { ...ok, params: new Float64Array(26) },
      states,
      vector,
      {},
      TypeError,
      /^params must be a Float32Array, got Float64Array\(26\)$/,
    ],
    [
      'params length',
      { ...ok, params: new Float32Array(25) },
      states,
      vector,
      {},
      RangeError,
      /^params has length 25, expected 26 \(/,
    ],
    [
      'gaussian params without log-std',
      { ...ok, head: 'diag-gaussian' },
      states,
      vector,
      {},
      RangeError,
      /^params has length 26, expected 28 \(.*actionDim/,
    ],
    ['states dtype', ok, [0, 0, 0], vector, {}, TypeError, /^states must be a Float32Array, got Array\(3\)$/],
    [
      'states length',
      ok,
      new Float32Array(7),
      vector,
      {},
      RangeError,
      /^states has length 7, which is not a multiple of obsDim = 3/,
    ],
    ['states empty', ok, new Float32Array(0), vector, {}, RangeError, /^states must hold at least one state/],
    [
      'negative damping',
      ok,
      states,
      vector,
      { damping: -0.1 },
      RangeError,
      /^damping must be a finite number ≥ 0, got -0.1$/,
    ],
    [
      'NaN damping',
      ok,
      states,
      vector,
      { damping: Number.NaN },
      RangeError,
      /^damping must be a finite number ≥ 0, got NaN$/,
    ],
    ['vector dtype', ok, states, new Float64Array(26), {}, TypeError, /^vector must be a Float32Array/],
    [
      'vector length',
      ok,
      states,
      new Float32Array(27),
      {},
      RangeError,
      /^vector has length 27, expected 26 \(= params.length\)$/,
    ],
  ];
}

describe('fisherVectorProduct: argument errors', () => {
  for (const backend of backends) {
    for (const [name, policy, states, vector, opts, cls, pattern] of badCases()) {
      it(`${backend}: ${name}`, async () => {
        const call = () =>
          fisherVectorProduct(policy as MlpPolicy, states as Float32Array, vector as Float32Array, {
            ...opts,
            backend,
          });
        expect(call).toThrow(cls);
        expect(call).toThrow(pattern);
        await expect(
          fisherVectorProductAsync(policy as MlpPolicy, states as Float32Array, vector as Float32Array, {
            ...opts,
            backend,
          }),
        ).rejects.toThrow(pattern);
        const cg = () =>
          conjugateGradientFisher(policy as MlpPolicy, states as Float32Array, vector as Float32Array, {
            ...opts,
            backend,
          });
        expect(cg).toThrow(cls);
        expect(cg).toThrow(new RegExp(pattern.source.replace('^vector', '^b')));
      });
    }
  }
});

describe.skipIf(!hasNative)('native vs TypeScript parity', () => {
  it('random networks, heads, activations and batches: max relative error ≤ 1e-4', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 2, maxLength: 4 }),
        fc.constantFrom<Activation>('tanh', 'relu', 'linear'),
        fc.constantFrom<PolicyHead>('categorical', 'diag-gaussian'),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 1, max: 4 }),
        (sizes, act, head, batch, damping, seed, threads) => {
          const policy = randomPolicy(seed, makeLayers(sizes, act), head, 0.8);
          const states = randomArray(seed + 1, batch * sizes[0], 2);
          const v = randomArray(seed + 2, policy.params.length);
          const js = fisherVectorProduct(policy, states, v, { damping, backend: 'js' });
          const nat = fisherVectorProduct(policy, states, v, { damping, backend: 'native', threads });
          expect(relErr(nat, js)).toBeLessThanOrEqual(1e-4);
          // CG amplifies last-bit differences of the products on ill-conditioned systems (tiny
          // batches, near-zero damping), so its parity is checked on a damped system, few steps, normwise.
          const cgOpts = { damping: damping + 0.1, maxIterations: 5 };
          const cgJs = conjugateGradientFisher(policy, states, v, { ...cgOpts, backend: 'js' });
          const cgNat = conjugateGradientFisher(policy, states, v, { ...cgOpts, backend: 'native', threads });
          expect(cgNat.iterations).toBe(cgJs.iterations);
          expect(normErr(cgNat.x, cgJs.x)).toBeLessThanOrEqual(1e-4);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('a 64x64 tanh Gaussian policy at batch 2048: native (1 and all threads) vs TypeScript', () => {
    const policy = randomPolicy(81, makeLayers([17, 64, 64, 6], 'tanh'), 'diag-gaussian', 0.2);
    const states = randomArray(82, 2048 * 17);
    const v = randomArray(83, policy.params.length);
    const js = fisherVectorProduct(policy, states, v, { damping: 0.1, backend: 'js' });
    const one = fisherVectorProduct(policy, states, v, { damping: 0.1, backend: 'native', threads: 1 });
    const all = fisherVectorProduct(policy, states, v, { damping: 0.1, backend: 'native' });
    expect(relErr(one, js)).toBeLessThan(1e-5);
    expect(relErr(all, js)).toBeLessThan(1e-5);
    // Deterministic for a given thread count.
    expect(fisherVectorProduct(policy, states, v, { damping: 0.1, backend: 'native' })).toEqual(all);
  });

  it("backend 'auto' picks the native kernel", () => {
    const policy = randomPolicy(91, makeLayers([3, 5, 2], 'relu'), 'categorical');
    const states = randomArray(92, 30);
    const v = randomArray(93, policy.params.length);
    expect(fisherVectorProduct(policy, states, v)).toEqual(
      fisherVectorProduct(policy, states, v, { backend: 'native' }),
    );
  });
});
