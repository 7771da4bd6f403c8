import { tf } from '../tf.js';
import { argmaxRow, type QNetwork } from './q-network.js';

/** Inputs of {@link dqnTargets}, for a batch of B transitions and A actions. */
export interface DqnTargetInputs {
  /** float32 [B]. */
  rewards: Float32Array;
  /** float32 or 0/1 [B]: 1 where s' is terminal (no bootstrap). */
  dones: ArrayLike<number>;
  /** Q_θ'(s', ·) of the target network, float32 [B, A]. */
  nextTargetQ: Float32Array;
  /** Q_θ(s', ·) of the online network, float32 [B, A]; needed (and only read) with `doubleQ`. */
  nextOnlineQ?: Float32Array;
  numActions: number;
  gamma: number;
  /** Double DQN: evaluate the online network's greedy action with the target network. Default false. */
  doubleQ?: boolean;
}

/**
 * The TD targets of DQN (Mnih et al. 2015, "Human-level control through deep reinforcement
 * learning", Algorithm 1; SB3's `DQN.train`):
 *
 * ```
 * DQN:         y = r + γ (1 − done) · max_a' Q_θ'(s', a')
 * Double DQN:  y = r + γ (1 − done) · Q_θ'(s', argmax_a' Q_θ(s', a'))   (van Hasselt et al. 2016, eq. 4)
 * ```
 * with ties of the argmax broken towards the first action.
 * @returns float32 [B].
 * @throws RangeError on a length mismatch (naming the argument and both lengths), or when
 *   `doubleQ` is set without `nextOnlineQ`.
 */
export function dqnTargets(o: DqnTargetInputs): Float32Array {
  const B = o.rewards.length;
  const A = o.numActions;
  const check = (name: string, len: number | undefined, want: number) => {
    if (len !== want) throw new RangeError(`${name} has length ${String(len)}, expected ${want}`);
  };
  check('dones', o.dones.length, B);
  check('nextTargetQ', o.nextTargetQ.length, B * A);
  if (o.doubleQ) {
    if (!o.nextOnlineQ) throw new RangeError('nextOnlineQ is required with doubleQ');
    check('nextOnlineQ', o.nextOnlineQ.length, B * A);
  }
  const y = new Float32Array(B);
  for (let i = 0; i < B; i++) {
    const a = o.doubleQ ? argmaxRow(o.nextOnlineQ!, i, A) : argmaxRow(o.nextTargetQ, i, A);
    const next = o.nextTargetQ[i * A + a];
    y[i] = o.rewards[i] + o.gamma * (1 - o.dones[i]) * next;
  }
  return y;
}

/** Loss and gradient of one DQN step. */
export interface DqnStepStats {
  /** mean Huber(Q_θ(s, a) − y), δ = 1. */
  loss: number;
  /** Mean of Q_θ(s, a) over the batch. */
  qMean: number;
  /** ∂loss/∂θ, float32, in the network's flat parameter order. */
  grads: Float32Array;
}

/**
 * Loss and gradient of DQN on a batch: the Huber loss (smooth L1, δ = 1; PyTorch's
 * `F.smooth_l1_loss` as SB3's `DQN.train` uses it) between Q_θ(s, a) and the fixed targets y,
 *
 * ```
 * loss = mean_i h(Q_θ(s_i, a_i) − y_i),   h(x) = x²/2 if |x| < 1, else |x| − 1/2
 * ```
 * computed in tfjs on the online network's variables (call `q.syncStack()` after changing
 * `q.params`). The gradient comes back flat, for core's `clipGradNorm` and `Adam`.
 * @param features float32 [B, obsDim] (encoded, normalized observations s).
 * @param actions action indices [B] (float32 or int32).
 * @param targets float32 [B] from {@link dqnTargets}.
 */
export function dqnLossAndGradient(
  q: QNetwork,
  features: Float32Array,
  actions: ArrayLike<number>,
  targets: Float32Array,
): DqnStepStats {
  const B = targets.length;
  const A = q.numActions;
  const mask = new Float32Array(B * A);
  for (let i = 0; i < B; i++) mask[i * A + actions[i]] = 1;
  const vars = q.stack.variables;
  let qMean: tf.Scalar | null = null;
  const out = tf.tidy(() => {
    const x = tf.tensor2d(features, [B, q.obsDim]);
    const m = tf.tensor2d(mask, [B, A]);
    const y = tf.tensor1d(targets);
    const { value, grads } = tf.variableGrads(() => {
      const qa = tf.sum(tf.mul(q.stack.apply(x), m), 1);
      qMean = tf.keep(tf.mean(qa) as tf.Scalar);
      const d = tf.abs(tf.sub(qa, y));
      const quad = tf.minimum(d, 1);
      // h(d) = 0.5·min(d, 1)² + (d − min(d, 1)): x²/2 below 1, |x| − 1/2 above
      return tf.mean(tf.add(tf.mul(0.5, tf.square(quad)), tf.sub(d, quad))) as tf.Scalar;
    }, vars);
    const flat = tf.concat([tf.stack([value, qMean!]), ...vars.map((v) => tf.reshape(grads[v.name], [-1]))]);
    const data = flat.dataSync() as Float32Array;
    return { loss: data[0], qMean: data[1], grads: data.slice(2) };
  });
  (qMean as tf.Scalar | null)?.dispose();
  return out;
}
