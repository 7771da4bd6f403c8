import type { Minibatch } from '../common/rollout-buffer.js';
import { headOutputSize } from '../policies/action-head.js';
import type { ActorCriticPolicy } from '../policies/actor-critic.js';
import { tf } from '../tf.js';

/** Scalars and gradient of one A2C step. */
export interface A2cStepStats {
  /** −mean(A · log π(a|s)). */
  policyLoss: number;
  /** mean((R − V(s))²). */
  valueLoss: number;
  /** Mean entropy of the policy over the batch. */
  entropy: number;
  /** policyLoss − entCoef · entropy + vfCoef · valueLoss. */
  loss: number;
  /** ∂loss/∂params, float32, in the policy's flat parameter order. */
  grads: Float32Array;
}

/** Coefficients of the A2C loss. */
export interface A2cLossOptions {
  entCoef: number;
  vfCoef: number;
}

/**
 * Loss and gradient of A2C on a batch (Mnih et al. 2016, "Asynchronous Methods for Deep
 * Reinforcement Learning", Algorithm S3, synchronous form; Stable-Baselines3's `A2C.train`):
 *
 * ```
 * loss = −mean_i(A_i · log π(a_i|s_i)) − entCoef · mean_i H(π(·|s_i)) + vfCoef · mean_i (R_i − V(s_i))²
 * ```
 *
 * with the advantages A (already normalized if asked) and returns R as constants. The batch's
 * `advantages` are used as given; `logProbs` and `values` of the batch are not read. The gradient
 * comes back flat, for core's `clipGradNorm` and optimizers.
 * @param batch observations float32 [B, obsDim], actions float32 [B, actionSize], advantages and returns float32 [B].
 */
export function a2cLossAndGradient(
  policy: ActorCriticPolicy,
  batch: Pick<Minibatch, 'observations' | 'actions' | 'advantages' | 'returns'>,
  o: A2cLossOptions,
): A2cStepStats {
  const size = batch.advantages.length;
  const vars = policy.trainableVariables;
  const kept: tf.Scalar[] = [];
  const out = tf.tidy(() => {
    const obs = tf.tensor2d(batch.observations, [size, policy.obsDim]);
    const actions =
      policy.head.kind === 'categorical'
        ? { oneHot: tf.tensor2d(policy.oneHot(batch.actions), [size, headOutputSize(policy.head)]) }
        : { continuous: tf.tensor2d(batch.actions, [size, policy.actionSize]) };
    const advantages = tf.tensor1d(batch.advantages);
    const returns = tf.tensor1d(batch.returns);
    const { value, grads } = tf.variableGrads(() => {
      const { logProbs, entropy, values } = policy.evaluateActions(obs, actions);
      const pg = tf.neg(tf.mean(tf.mul(advantages, logProbs))) as tf.Scalar;
      const vLoss = tf.mean(tf.squaredDifference(returns, values)) as tf.Scalar;
      const ent = tf.mean(entropy) as tf.Scalar;
      kept.push(tf.keep(pg), tf.keep(vLoss), tf.keep(ent));
      return tf.add(tf.sub(pg, tf.mul(o.entCoef, ent)), tf.mul(o.vfCoef, vLoss)) as tf.Scalar;
    }, vars);
    const flat = tf.concat([tf.stack([value, ...kept]), ...vars.map((v) => tf.reshape(grads[v.name], [-1]))]);
    const data = flat.dataSync() as Float32Array;
    return {
      loss: data[0],
      policyLoss: data[1],
      valueLoss: data[2],
      entropy: data[3],
      grads: data.slice(4),
    };
  });
  for (const t of kept) t.dispose();
  return out;
}
