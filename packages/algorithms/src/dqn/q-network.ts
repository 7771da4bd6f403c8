import { type Activation, type MlpLayer, mlpForward, type Random } from '@proximal/core';
import { DenseStack } from '../nn/dense-stack.js';

/**
 * A Q-network and its target copy (SB3's `QNetwork` in `DQNPolicy`: `q_net` and `q_net_target`):
 * an MLP from features [obsDim] through `netArch` hidden layers (ReLU by default) to one Q-value
 * per action, initialized as PyTorch's `nn.Linear` (SB3's DQN uses no orthogonal init).
 *
 * The flat parameters {@link params} (core's `Mlp` layout: per layer kernel [in, out] row-major,
 * then bias [out]) are the source of truth: the optimizer updates them, {@link syncStack} copies
 * them into the tfjs variables of {@link stack} (used for gradients); acting and the target values
 * run on core's `mlpForward` without tfjs.
 */
export class QNetwork {
  readonly obsDim: number;
  readonly numActions: number;
  readonly layers: MlpLayer[];
  /** The online network's tfjs variables (for gradients). */
  readonly stack: DenseStack;
  /** Online parameters θ, float32 [numParams]. */
  readonly params: Float32Array;
  /** Target parameters θ', float32 [numParams]; a copy of θ at creation. */
  readonly targetParams: Float32Array;

  constructor(obsDim: number, numActions: number, netArch: number[], activation: Activation, rng: Random) {
    this.obsDim = obsDim;
    this.numActions = numActions;
    this.stack = DenseStack.uniform([obsDim, ...netArch, numActions], activation, rng, 'q');
    this.layers = this.stack.layers;
    this.params = this.stack.toMlp().params.slice();
    this.targetParams = this.params.slice();
  }

  get numParams(): number {
    return this.params.length;
  }

  /** Q(s, ·) of the online network: features float32 [batch, obsDim] → float32 [batch, numActions]. */
  qValues(features: Float32Array): Float32Array {
    return mlpForward({ layers: this.layers, params: this.params }, features);
  }

  /** Q(s, ·) of the target network: features float32 [batch, obsDim] → float32 [batch, numActions]. */
  targetQValues(features: Float32Array): Float32Array {
    return mlpForward({ layers: this.layers, params: this.targetParams }, features);
  }

  /** Copies {@link params} into the tfjs variables (after an optimizer step or a load). */
  syncStack(): void {
    this.stack.setParams(this.params);
  }

  /**
   * Polyak update θ' ← τ θ + (1 − τ) θ' (SB3's `polyak_update`); τ = 1 copies θ exactly.
   * @throws RangeError when tau is not in (0, 1].
   */
  updateTarget(tau: number): void {
    if (!(tau > 0 && tau <= 1)) throw new RangeError(`tau must be in (0, 1], got ${tau}`);
    if (tau === 1) {
      this.targetParams.set(this.params);
      return;
    }
    const p = this.params;
    const t = this.targetParams;
    for (let i = 0; i < p.length; i++) t[i] = t[i] * (1 - tau) + tau * p[i];
  }

  /** Releases the tfjs variables. */
  dispose(): void {
    this.stack.dispose();
  }
}

/** Index of the largest of `q[row * n .. row * n + n)`, the first one on ties (numpy's argmax). */
export function argmaxRow(q: Float32Array, row: number, n: number): number {
  const base = row * n;
  let best = 0;
  for (let a = 1; a < n; a++) if (q[base + a] > q[base + best]) best = a;
  return best;
}
