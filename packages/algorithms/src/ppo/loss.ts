import { type ClippedSurrogateResult, clippedSurrogate } from '@proximal/core';
import type { Minibatch } from '../common/rollout-buffer.js';
import type { CategoricalActorCritic } from '../policies/actor-critic.js';
import { tf } from '../tf.js';

/** Scalars of one PPO minibatch step. */
export interface PpoStepStats {
  surrogate: ClippedSurrogateResult;
  valueLoss: number;
  entropy: number;
  loss: number;
  /** ∂loss/∂params, float32, in the policy's flat parameter order (actor, then critic). */
  grads: Float32Array;
}

export interface PpoLossOptions {
  clipRange: number;
  clipRangeVf: number | null;
  normalizeAdvantage: boolean;
  entCoef: number;
  vfCoef: number;
}

/**
 * Loss and gradient of PPO-clip on a minibatch:
 * loss = L_clip + vfCoef · L_V − entCoef · H, with L_clip computed by core's fused
 * `clippedSurrogate` kernel whose gradient w.r.t. the log-probabilities enters tfjs through
 * `tf.customGrad`; L_V = mean((V − R)²) (optionally clipped around the rollout values, SB3's
 * `clip_range_vf`). The gradient comes back flat, for core's `clipGradNorm` and `Adam`.
 */
export function ppoLossAndGradient(
  policy: CategoricalActorCritic,
  mb: Minibatch,
  o: PpoLossOptions,
): PpoStepStats {
  let surrogate: ClippedSurrogateResult | null = null;
  const policyLoss = tf.customGrad(((logProbs: tf.Tensor) => {
    const r = clippedSurrogate({
      logProbs: logProbs.dataSync() as Float32Array,
      oldLogProbs: mb.logProbs,
      advantages: mb.advantages,
      clipRange: o.clipRange,
      normalizeAdvantages: o.normalizeAdvantage,
    });
    surrogate = r;
    return {
      value: tf.scalar(r.loss),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor1d(r.gradLogProbs)),
    };
  }) as Parameters<typeof tf.customGrad>[0]);

  const batch = mb.actions.length;
  const vars = policy.trainableVariables;
  let vLossT: tf.Scalar | null = null;
  let entT: tf.Scalar | null = null;
  const out = tf.tidy(() => {
    const obs = tf.tensor2d(mb.observations, [batch, policy.obsDim]);
    const oneHot = tf.oneHot(tf.tensor1d(mb.actions, 'int32'), policy.numActions);
    const returns = tf.tensor1d(mb.returns);
    const { value, grads } = tf.variableGrads(() => {
      const { logits, values } = policy.forward(obs);
      const logPmf = tf.logSoftmax(logits);
      const logProbs = tf.sum(tf.mul(logPmf, oneHot), 1);
      const pg = policyLoss(logProbs) as tf.Scalar;
      const entropy = tf.neg(tf.mean(tf.sum(tf.mul(tf.exp(logPmf), logPmf), 1))) as tf.Scalar;
      let vLoss: tf.Scalar;
      if (o.clipRangeVf === null) {
        vLoss = tf.mean(tf.squaredDifference(values, returns)) as tf.Scalar;
      } else {
        const old = tf.tensor1d(mb.values);
        const clipped = tf.add(old, tf.clipByValue(tf.sub(values, old), -o.clipRangeVf, o.clipRangeVf));
        vLoss = tf.mean(tf.squaredDifference(clipped, returns)) as tf.Scalar;
      }
      vLossT = tf.keep(vLoss);
      entT = tf.keep(entropy);
      return tf.add(tf.sub(pg, tf.mul(o.entCoef, entropy)), tf.mul(o.vfCoef, vLoss)) as tf.Scalar;
    }, vars);
    const flat = tf.concat([
      tf.stack([value, vLossT!, entT!]),
      ...vars.map((v) => tf.reshape(grads[v.name], [-1])),
    ]);
    const data = flat.dataSync() as Float32Array;
    return { loss: data[0], valueLoss: data[1], entropy: data[2], grads: data.slice(3) };
  });
  (vLossT as tf.Scalar | null)?.dispose();
  (entT as tf.Scalar | null)?.dispose();
  if (!surrogate) throw new Error('internal: the surrogate kernel did not run');
  return { surrogate, ...out };
}
