import { headOutputSize } from '../policies/action-head.js';
import type { ActorCriticPolicy } from '../policies/actor-critic.js';
import { tf } from '../tf.js';

/** Action tensors for `evaluateActions`: one-hot for discrete heads, the values for Gaussian ones. */
export function actionInput(policy: ActorCriticPolicy, actions: Float32Array, batch: number) {
  return policy.head.kind === 'categorical'
    ? { oneHot: tf.tensor2d(policy.oneHot(actions), [batch, headOutputSize(policy.head)]) }
    : { continuous: tf.tensor2d(actions, [batch, policy.actionSize]) };
}

/**
 * ∇θ L(θ) at the current policy parameters, L = mean_s [exp(log π_θ(a_s|s) − oldLogProbs_s) · Â_s]
 * (TRPO's surrogate, Schulman et al. 2015 eq. 14), w.r.t. the policy parameters only (actor MLP,
 * then the log-std), flat in core's MlpPolicy order. First-order tfjs autodiff.
 */
export function surrogateGradient(
  policy: ActorCriticPolicy,
  observations: Float32Array,
  actions: Float32Array,
  advantages: Float32Array,
  oldLogProbs: Float32Array,
): { surrogate: number; grad: Float32Array } {
  const batch = advantages.length;
  const vars = [...policy.actor.variables, ...(policy.logStd ? [policy.logStd] : [])];
  return tf.tidy(() => {
    const obs = tf.tensor2d(observations, [batch, policy.obsDim]);
    const act = actionInput(policy, actions, batch);
    const adv = tf.tensor1d(advantages);
    const old = tf.tensor1d(oldLogProbs);
    const { value, grads } = tf.variableGrads(() => {
      const { logProbs } = policy.evaluateActions(obs, act);
      return tf.mean(tf.mul(tf.exp(tf.sub(logProbs, old)), adv)) as tf.Scalar;
    }, vars);
    const flat = tf.concat([tf.reshape(value, [1]), ...vars.map((v) => tf.reshape(grads[v.name], [-1]))]);
    const data = flat.dataSync() as Float32Array;
    return { surrogate: data[0], grad: data.slice(1) };
  });
}

/** Value loss mean((V(s) − R)²) and its gradient w.r.t. the critic's parameters (flat, core Mlp layout). */
export function criticLossAndGradient(
  policy: ActorCriticPolicy,
  observations: Float32Array,
  returns: Float32Array,
): { loss: number; grad: Float32Array } {
  const batch = returns.length;
  const vars = policy.critic.variables;
  return tf.tidy(() => {
    const obs = tf.tensor2d(observations, [batch, policy.obsDim]);
    const ret = tf.tensor1d(returns);
    const { value, grads } = tf.variableGrads(
      () => tf.mean(tf.squaredDifference(tf.reshape(policy.critic.apply(obs), [-1]), ret)) as tf.Scalar,
      vars,
    );
    const flat = tf.concat([tf.reshape(value, [1]), ...vars.map((v) => tf.reshape(grads[v.name], [-1]))]);
    const data = flat.dataSync() as Float32Array;
    return { loss: data[0], grad: data.slice(1) };
  });
}
