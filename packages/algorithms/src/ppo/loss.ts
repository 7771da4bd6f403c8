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
}

export interface PpoLossOptions {
  clipRange: number;
  clipRangeVf: number | null;
  normalizeAdvantage: boolean;
  entCoef: number;
  vfCoef: number;
  maxGradNorm: number;
}

/**
 * One gradient step of PPO-clip on a minibatch:
 * loss = L_clip + vfCoef · L_V − entCoef · H, with L_clip computed by core's fused
 * `clippedSurrogate` kernel whose gradient w.r.t. the log-probabilities enters tfjs through
 * `tf.customGrad`; L_V = mean((V − R)²) (optionally clipped around the rollout values, SB3's
 * `clip_range_vf`); gradients clipped to a global norm of `maxGradNorm`, then `optimizer` applies them.
 */
export function ppoGradientStep(
  policy: CategoricalActorCritic,
  optimizer: tf.Optimizer,
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
    }, policy.trainableVariables);
    // global-norm clipping (as torch.nn.utils.clip_grad_norm_)
    const names = Object.keys(grads);
    const sq = tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))));
    const coef = tf.minimum(1, tf.div(o.maxGradNorm, tf.add(tf.sqrt(sq), 1e-6)));
    const clipped: tf.NamedTensorMap = {};
    for (const n of names) clipped[n] = tf.mul(grads[n], coef);
    optimizer.applyGradients(clipped);
    const scalars = tf.stack([value, vLossT!, entT!]).dataSync();
    return { loss: scalars[0], valueLoss: scalars[1], entropy: scalars[2] };
  });
  (vLossT as tf.Scalar | null)?.dispose();
  (entT as tf.Scalar | null)?.dispose();
  if (!surrogate) throw new Error('internal: the surrogate kernel did not run');
  return { surrogate, ...out };
}
