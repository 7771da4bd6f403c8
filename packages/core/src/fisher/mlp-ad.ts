/**
 * Forward pass, forward-mode tangents (J·v) and reverse-mode cotangents (Jᵀ·g) of an MLP, one state
 * at a time in float64: the TypeScript reference of the native kernels in native/src/kernels/mlp.cc.
 *
 * Network: h_0 = x, z_l = h_l W_l + b_l, h_{l+1} = act_l(z_l), output o = h_L.
 * Tangents (Pearlmutter 1994, "Fast exact multiplication by the Hessian"; Martens 2014, "New
 * insights and perspectives on the natural gradient method", sec. 9) for a direction (dW_l, db_l):
 *   dz_l = dh_l W_l + h_l dW_l + db_l,   dh_0 = 0,   dh_{l+1} = act_l'(z_l) ⊙ dz_l.
 * Cotangents for g = ∂/∂o: gz_l = gh_{l+1} ⊙ act_l'(z_l), gW_l += h_lᵀ gz_l, gb_l += gz_l,
 *   gh_l = gz_l W_lᵀ.
 * act' = 1 − h² (tanh), [z > 0] (relu, 0 at 0), 1 (linear).
 *
 * @internal Parameters may be float32 or float64 (the tests differentiate in float64).
 */
import type { NetLayout } from './policy.js';

/** Flat parameters in either precision. */
export type Params = Float32Array | Float64Array;

/** Per-state buffers of one pass. */
export class MlpTape {
  /** h_l for l = 0..L (h_L = output). */
  readonly h: Float64Array[];
  /** act_l'(z_l), l = 0..L-1. */
  readonly d: Float64Array[];
  /** Tangents dh_l, l = 0..L. */
  readonly dh: Float64Array[];
  readonly g: Float64Array;
  readonly g2: Float64Array;

  constructor(net: NetLayout) {
    const sizes = [net.inSize, ...net.layers.map((l) => l.outSize)];
    this.h = sizes.map((n) => new Float64Array(n));
    this.dh = sizes.map((n) => new Float64Array(n));
    this.d = net.layers.map((l) => new Float64Array(l.outSize));
    const w = Math.max(...sizes);
    this.g = new Float64Array(w);
    this.g2 = new Float64Array(w);
  }
}

/** Forward pass of state s (states float32 [batch, inSize]); the output is tape.h[L]. */
export function forwardState(
  net: NetLayout,
  p: Params,
  states: ArrayLike<number>,
  s: number,
  tape: MlpTape,
): void {
  const h0 = tape.h[0];
  const base = s * net.inSize;
  for (let i = 0; i < net.inSize; i++) h0[i] = states[base + i];
  for (let l = 0; l < net.layers.length; l++) {
    const { inSize, outSize, activation } = net.layers[l];
    const w = net.offsets[l];
    const b = w + inSize * outSize;
    const x = tape.h[l];
    const z = tape.h[l + 1];
    const d = tape.d[l];
    for (let o = 0; o < outSize; o++) z[o] = p[b + o];
    for (let i = 0; i < inSize; i++) {
      const xi = x[i];
      const row = w + i * outSize;
      for (let o = 0; o < outSize; o++) z[o] += xi * p[row + o];
    }
    if (activation === 'tanh') {
      for (let o = 0; o < outSize; o++) {
        const t = Math.tanh(z[o]);
        z[o] = t;
        d[o] = 1 - t * t;
      }
    } else if (activation === 'relu') {
      for (let o = 0; o < outSize; o++) {
        const pos = z[o] > 0;
        d[o] = pos ? 1 : 0;
        if (!pos) z[o] = 0;
      }
    } else {
      d.fill(1);
    }
  }
}

/** Tangent pass after {@link forwardState}: returns tape.dh[L] = J v for direction `dir` (MLP part). */
export function jvpState(net: NetLayout, p: Params, dir: Params, tape: MlpTape): Float64Array {
  for (let l = 0; l < net.layers.length; l++) {
    const { inSize, outSize, activation } = net.layers[l];
    const w = net.offsets[l];
    const b = w + inSize * outSize;
    const x = tape.h[l];
    const dx = tape.dh[l];
    const dz = tape.dh[l + 1];
    for (let o = 0; o < outSize; o++) dz[o] = dir[b + o];
    for (let i = 0; i < inSize; i++) {
      const xi = x[i];
      const dxi = l === 0 ? 0 : dx[i];
      const row = w + i * outSize;
      for (let o = 0; o < outSize; o++) dz[o] += dxi * p[row + o] + xi * dir[row + o];
    }
    if (activation !== 'linear') {
      const d = tape.d[l];
      for (let o = 0; o < outSize; o++) dz[o] *= d[o];
    }
  }
  return tape.dh[net.layers.length];
}

/** Cotangent pass after {@link forwardState}: grad (float64 [mlpParams]) += Jᵀ g, g [outSize]. */
export function vjpState(
  net: NetLayout,
  p: Params,
  g: ArrayLike<number>,
  tape: MlpTape,
  grad: Float64Array,
): void {
  let cur = tape.g;
  let other = tape.g2;
  for (let o = 0; o < net.outSize; o++) cur[o] = g[o];
  for (let l = net.layers.length - 1; l >= 0; l--) {
    const { inSize, outSize, activation } = net.layers[l];
    const w = net.offsets[l];
    const b = w + inSize * outSize;
    if (activation !== 'linear') {
      const d = tape.d[l];
      for (let o = 0; o < outSize; o++) cur[o] *= d[o];
    }
    for (let o = 0; o < outSize; o++) grad[b + o] += cur[o];
    const x = tape.h[l];
    for (let i = 0; i < inSize; i++) {
      const xi = x[i];
      const row = w + i * outSize;
      let s = 0;
      for (let o = 0; o < outSize; o++) {
        grad[row + o] += xi * cur[o];
        s += cur[o] * p[row + o];
      }
      other[i] = s;
    }
    const t = cur;
    cur = other;
    other = t;
  }
}

/** Outputs (logits or means) for every state, float64 [batch, outSize]. */
export function mlpOutputs(
  net: NetLayout,
  p: Params,
  states: ArrayLike<number>,
  batch: number,
): Float64Array {
  const tape = new MlpTape(net);
  const out = new Float64Array(batch * net.outSize);
  const top = tape.h[net.layers.length];
  for (let s = 0; s < batch; s++) {
    forwardState(net, p, states, s, tape);
    out.set(top, s * net.outSize);
  }
  return out;
}

/** J(x_s) · dir for every state, float64 [batch, outSize]. */
export function mlpJvp(
  net: NetLayout,
  p: Params,
  dir: Params,
  states: ArrayLike<number>,
  batch: number,
): Float64Array {
  const tape = new MlpTape(net);
  const out = new Float64Array(batch * net.outSize);
  for (let s = 0; s < batch; s++) {
    forwardState(net, p, states, s, tape);
    out.set(jvpState(net, p, dir, tape), s * net.outSize);
  }
  return out;
}

/** Σ_s J(x_s)ᵀ g_s, float64 [mlpParams], for g float64 [batch, outSize]. */
export function mlpVjp(
  net: NetLayout,
  p: Params,
  states: ArrayLike<number>,
  batch: number,
  g: ArrayLike<number>,
): Float64Array {
  const tape = new MlpTape(net);
  const grad = new Float64Array(net.mlpParams);
  const gs = new Float64Array(net.outSize);
  for (let s = 0; s < batch; s++) {
    forwardState(net, p, states, s, tape);
    for (let o = 0; o < net.outSize; o++) gs[o] = g[s * net.outSize + o];
    vjpState(net, p, gs, tape, grad);
  }
  return grad;
}
