import type { ActorCriticPolicy } from '../policies/actor-critic.js';
import { tf } from '../tf.js';
import { actionInput } from '../trpo/gradients.js';

/** Scalars and gradient of one VPG policy step. */
export interface VpgPolicyStep {
  /** L(θ) = −mean(log π_θ(a|s) · Ψ) at the current parameters. */
  loss: number;
  /** Mean entropy of π_θ(·|s) over the batch. */
  entropy: number;
  /** ∂L/∂θ, float32, over the policy's parameters only (actor MLP, then the log-std), flat. */
  grad: Float32Array;
}

/**
 * The vanilla policy-gradient loss L(θ) = −(1/B) Σ_i log π_θ(a_i | s_i) Ψ_i and its gradient w.r.t.
 * the policy parameters (actor, then log-std; not the critic), whose negative is the estimate
 * ĝ = (1/B) Σ_i ∇θ log π_θ(a_i | s_i) Ψ_i (Williams 1992; Spinning Up's VPG `compute_loss_pi`).
 * First-order tfjs autodiff.
 * @param observations float32 [B, obsDim]; `actions` float32 [B, actionSize] (indices for
 *   discrete heads); `psi` float32 [B], the weights Ψ_i (treated as constants).
 */
export function policyGradientLossAndGradient(
  policy: ActorCriticPolicy,
  observations: Float32Array,
  actions: Float32Array,
  psi: Float32Array,
): VpgPolicyStep {
  const batch = psi.length;
  const vars = [...policy.actor.variables, ...(policy.logStd ? [policy.logStd] : [])];
  const kept: tf.Scalar[] = [];
  const out = tf.tidy(() => {
    const obs = tf.tensor2d(observations, [batch, policy.obsDim]);
    const act = actionInput(policy, actions, batch);
    const weights = tf.tensor1d(psi);
    const { value, grads } = tf.variableGrads(() => {
      const out = policy.evaluateActions(obs, act);
      kept.push(tf.keep(tf.mean(out.entropy) as tf.Scalar));
      return tf.neg(tf.mean(tf.mul(out.logProbs, weights))) as tf.Scalar;
    }, vars);
    const flat = tf.concat([tf.stack([value, ...kept]), ...vars.map((v) => tf.reshape(grads[v.name], [-1]))]);
    const data = flat.dataSync() as Float32Array;
    return { loss: data[0], entropy: data[1], grad: data.slice(2) };
  });
  for (const t of kept) t.dispose();
  return out;
}

/**
 * log π_θ(a_i | s_i) at the current parameters, float32 [B] (no gradient); with the rollout's
 * log-probabilities it gives Spinning Up's approximate KL, mean(log π_old − log π_new).
 * @param observations float32 [B, obsDim]; `actions` float32 [B, actionSize].
 */
export function logProbsOf(
  policy: ActorCriticPolicy,
  observations: Float32Array,
  actions: Float32Array,
): Float32Array {
  const batch = actions.length / policy.actionSize;
  return tf.tidy(() => {
    const obs = tf.tensor2d(observations, [batch, policy.obsDim]);
    const { logProbs } = policy.evaluateActions(obs, actionInput(policy, actions, batch));
    return logProbs.dataSync() as Float32Array;
  });
}
