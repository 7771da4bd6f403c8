import { type ClippedSurrogateResult, clippedSurrogate } from '@proximal/core';
import type { Minibatch } from '../common/rollout-buffer.js';
import { headOutputSize } from '../policies/action-head.js';
import type { ActorCriticPolicy } from '../policies/actor-critic.js';
import { tf } from '../tf.js';

/** Scalars of one PPO minibatch step. */
export interface PpoStepStats {
  surrogate: ClippedSurrogateResult;
  valueLoss: number;
  entropy: number;
  /** k3 estimate of KL(π_old ‖ π_θ) on the minibatch (the penalty term's KL). */
  kl: number;
  loss: number;
  /** ∂loss/∂params, float32, in the policy's flat parameter order. */
  grads: Float32Array;
}

export interface PpoLossOptions {
  /** 'clip' (PPO-clip) or 'penalty' (PPO with a KL penalty, β = klCoef). */
  objective: 'clip' | 'penalty';
  clipRange: number;
  dualClip: number | null;
  clipRangeVf: number | null;
  normalizeAdvantage: boolean;
  entCoef: number;
  vfCoef: number;
  /** β of the penalty objective. */
  klCoef: number;
}

/**
 * Loss and gradient of PPO on a minibatch (Schulman et al. 2017, eqs. 7–9):
 * loss = L_pg + vfCoef · L_V − entCoef · H (+ β · KL for the penalty objective). L_pg is core's
 * fused `clippedSurrogate` kernel (for 'penalty' with the clip disabled), whose gradient w.r.t.
 * the log-probabilities enters tfjs through `tf.customGrad`; L_V = mean((V − R)²), optionally
 * clipped around the rollout values (SB3's `clip_range_vf`); KL is the k3 estimator
 * mean(r − 1 − log r). The gradient comes back flat, for core's `clipGradNorm` and `Adam`.
 */
export function ppoLossAndGradient(
  policy: ActorCriticPolicy,
  mb: Minibatch,
  o: PpoLossOptions,
): PpoStepStats {
  let surrogate: ClippedSurrogateResult | null = null;
  const policyLoss = tf.customGrad(((logProbs: tf.Tensor) => {
    const r = clippedSurrogate({
      logProbs: logProbs.dataSync() as Float32Array,
      oldLogProbs: mb.logProbs,
      advantages: mb.advantages,
      clipRange: o.objective === 'clip' ? o.clipRange : Number.MAX_VALUE,
      ...(o.dualClip !== null && o.objective === 'clip' ? { dualClip: o.dualClip } : {}),
      normalizeAdvantages: o.normalizeAdvantage,
    });
    surrogate = r;
    return {
      value: tf.scalar(r.loss),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor1d(r.gradLogProbs)),
    };
  }) as Parameters<typeof tf.customGrad>[0]);

  const batch = mb.logProbs.length;
  const vars = policy.trainableVariables;
  const kept: tf.Scalar[] = [];
  const out = tf.tidy(() => {
    const obs = tf.tensor2d(mb.observations, [batch, policy.obsDim]);
    const actions =
      policy.head.kind === 'categorical'
        ? { oneHot: tf.tensor2d(policy.oneHot(mb.actions), [batch, headOutputSize(policy.head)]) }
        : { continuous: tf.tensor2d(mb.actions, [batch, policy.actionSize]) };
    const returns = tf.tensor1d(mb.returns);
    const oldLogProbs = tf.tensor1d(mb.logProbs);
    const { value, grads } = tf.variableGrads(() => {
      const { logProbs, entropy, values } = policy.evaluateActions(obs, actions);
      const pg = policyLoss(logProbs) as tf.Scalar;
      const ent = tf.mean(entropy) as tf.Scalar;
      let vLoss: tf.Scalar;
      if (o.clipRangeVf === null) {
        vLoss = tf.mean(tf.squaredDifference(values, returns)) as tf.Scalar;
      } else {
        const old = tf.tensor1d(mb.values);
        const clipped = tf.add(old, tf.clipByValue(tf.sub(values, old), -o.clipRangeVf, o.clipRangeVf));
        vLoss = tf.mean(
          tf.maximum(tf.squaredDifference(values, returns), tf.squaredDifference(clipped, returns)),
        ) as tf.Scalar;
      }
      const logRatio = tf.sub(logProbs, oldLogProbs);
      const kl = tf.mean(tf.sub(tf.sub(tf.exp(logRatio), 1), logRatio)) as tf.Scalar;
      kept.push(tf.keep(vLoss), tf.keep(ent), tf.keep(kl));
      let total = tf.add(tf.sub(pg, tf.mul(o.entCoef, ent)), tf.mul(o.vfCoef, vLoss));
      if (o.objective === 'penalty') total = tf.add(total, tf.mul(o.klCoef, kl));
      return total as tf.Scalar;
    }, vars);
    const flat = tf.concat([tf.stack([value, ...kept]), ...vars.map((v) => tf.reshape(grads[v.name], [-1]))]);
    const data = flat.dataSync() as Float32Array;
    return { loss: data[0], valueLoss: data[1], entropy: data[2], kl: data[3], grads: data.slice(4) };
  });
  for (const t of kept) t.dispose();
  if (!surrogate) throw new Error('internal: the surrogate kernel did not run');
  return { surrogate, ...out };
}
