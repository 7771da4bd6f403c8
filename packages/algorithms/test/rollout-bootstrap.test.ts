import { BaseEnv, Box, Discrete, type EnvMetadata, SyncVectorEnv, TimeLimit } from '@proximal/envs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RolloutBuffer } from '../src/common/rollout-buffer.js';
import { initTf, type NormalizationOptions, PPO, TRPO } from '../src/index.js';

/**
 * The rollout collection of OnPolicyAlgorithm (shared by PPO and TRPO) against hand-computed GAE.
 *
 * Each sub-env counts the steps k since its reset and observes [k, id]; its reward is k after the
 * step (1, 2, 3, ...), whatever the action. The critic is set to the linear V([k, id]) =
 * 0.5·k + 0.25·id + 1, and γ = λ = 0.5, so every value, TD error, advantage and return is a short
 * dyadic fraction, exact in float32.
 *   env 0: terminates after 3 steps (TimeLimit 10 never fires)       → no bootstrap at the end
 *   env 1: never terminates, TimeLimit 4 truncates after 4 steps      → bootstrap with γ·V(final obs)
 *   env 2: terminates after 2 steps and TimeLimit 2 truncates too     → terminated wins: no bootstrap
 * With nSteps = 6, env 1's first rollout ends mid-episode (bootstrap with V(last obs)) and its
 * second one ends on a truncation step (bootstrap with V(final obs), not the reset obs).
 */
class Counter extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(-100, 100, [2]);
  readonly actionSpace = new Discrete(2);
  readonly metadata: EnvMetadata = { renderModes: [] };
  private k = 0;
  constructor(
    private readonly id: number,
    private readonly terminateAt: number | null,
  ) {
    super();
  }
  reset(options?: { seed?: number }) {
    this.seedFromReset(options);
    this.k = 0;
    return { observation: Float32Array.of(0, this.id), info: {} };
  }
  step(_action: number) {
    this.k++;
    return {
      observation: Float32Array.of(this.k, this.id),
      reward: this.k,
      terminated: this.terminateAt !== null && this.k >= this.terminateAt,
      truncated: false,
      info: {},
    };
  }
}

const GAMMA = 0.5;
const LAMBDA = 0.5;
const T = 6;
const N = 3;
/** (terminateAt, TimeLimit) per sub-env. */
const ENVS: [number | null, number][] = [
  [3, 10],
  [null, 4],
  [2, 2],
];
const V = (k: number, id: number) => 0.5 * k + 0.25 * id + 1;

function vectorEnv(mode: 'same-step' | 'next-step' = 'same-step') {
  return new SyncVectorEnv(
    ENVS.map(
      ([term, limit], id) =>
        () =>
          new TimeLimit(new Counter(id, term), limit),
    ),
    { autoresetMode: mode },
  );
}

interface Internals {
  buffer: RolloutBuffer;
  lastObs: Float32Array | null;
  collectRollout(): { returns: number[]; lengths: number[] };
}

/** A model on the counter envs whose critic is exactly V (netArch [] makes it linear in [k, id]). */
async function model(algo: 'PPO' | 'TRPO', normalize?: NormalizationOptions) {
  const common = {
    ...(normalize ? { normalize } : {}),
    env: vectorEnv(),
    seed: 7,
    nSteps: T,
    batchSize: T * N,
    gamma: GAMMA,
    gaeLambda: LAMBDA,
    policyKwargs: { netArch: [] },
  };
  const m = algo === 'PPO' ? await PPO.create(common) : await TRPO.create(common);
  const p = m.policy.getFlatParams();
  const criticAt = p.length - m.policy.critic.numParams;
  p.set([0.5, 0.25, 1], criticAt); // kernel [2, 1], then bias [1]
  m.policy.setFlatParams(p);
  const internals = m as unknown as Internals;
  internals.lastObs = m.env.reset({ seed: 0 }).observations.slice();
  return { m, internals };
}

/**
 * The reference: Stable-Baselines3's formulation, written independently of core's `gae`. SB3's
 * `collect_rollouts` adds γ·V(final observation) to the reward of a truncated (and not
 * terminated) step, and `compute_returns_and_advantage` runs GAE with `episode_starts` (done at the
 * previous step), `last_values` = V(obs after the last step) and `dones` = done at the last step.
 * Here a simulated env (the same counters) provides the trajectory, and V the values;
 * `storedRewards` replaces the env's rewards (the normalized ones, as SB3's VecNormalize hands them
 * to the buffer: the bootstrap γ·V(final) is added to the normalized reward).
 */
function sb3Reference(startK: number[], storedRewards?: Float32Array) {
  const k = startK.slice();
  const obsK = new Float64Array(T * N);
  const rewards = new Float64Array(T * N);
  const values = new Float64Array(T * N);
  const dones = new Uint8Array(T * N);
  const terminated = new Uint8Array(T * N);
  const truncated = new Uint8Array(T * N);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const [term, limit] = ENVS[i];
      const j = t * N + i;
      obsK[j] = k[i];
      values[j] = V(k[i], i);
      k[i]++;
      rewards[j] = storedRewards ? storedRewards[j] : k[i];
      terminated[j] = term !== null && k[i] >= term ? 1 : 0;
      truncated[j] = k[i] >= limit ? 1 : 0;
      dones[j] = terminated[j] | truncated[j];
      if (truncated[j] && !terminated[j]) rewards[j] += GAMMA * V(k[i], i); // SB3's bootstrap
      if (dones[j]) k[i] = 0; // same-step autoreset
    }
  }
  const advantages = new Float64Array(T * N);
  const returns = new Float64Array(T * N);
  for (let i = 0; i < N; i++) {
    let lastGae = 0;
    for (let t = T - 1; t >= 0; t--) {
      const j = t * N + i;
      let nextNonTerminal: number;
      let nextValue: number;
      if (t === T - 1) {
        nextNonTerminal = 1 - dones[j];
        nextValue = V(k[i], i); // last_values: V of the observation after the rollout
      } else {
        nextNonTerminal = 1 - dones[j]; // = 1 − episode_starts[t + 1]
        nextValue = values[j + N];
      }
      const delta = rewards[j] + GAMMA * nextValue * nextNonTerminal - values[j];
      lastGae = delta + GAMMA * LAMBDA * nextNonTerminal * lastGae;
      advantages[j] = lastGae;
      returns[j] = lastGae + values[j];
    }
  }
  return { obsK, values, advantages, returns, terminated, truncated, endK: k };
}

const column = (a: ArrayLike<number>, i: number) => Array.from({ length: T }, (_, t) => a[t * N + i]);

beforeAll(async () => {
  await initTf('wasm');
});

describe('rollout collection: truncation bootstrap and GAE', () => {
  it('matches hand-computed advantages and returns (γ = λ = 0.5), truncated and terminated episodes, two rollouts', async () => {
    const { m, internals } = await model('PPO');
    internals.collectRollout();
    const b = internals.buffer;
    // env 1 by hand: δ_t = r_t + γ·v'_t − v_t with v' = V(next obs), V(final obs k=4) = 3.25 at t = 3
    // (truncated: the episode goes on beyond the limit), V(last obs k=2) = 2.25 at t = 5 (mid-episode):
    // δ = [0.625, 1.375, 2.125, 2.875, 0.625, 1.375], A_t = δ_t + γλ·A_{t+1} cut at t = 3.
    expect(column(b.rewards, 1)).toEqual([1, 2, 3, 4, 1, 2]); // raw rewards, no bootstrap folded in
    expect(column(b.truncated, 1)).toEqual([0, 0, 0, 1, 0, 0]);
    expect(column(b.terminated, 1)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(column(b.values, 1)).toEqual([1.25, 1.75, 2.25, 2.75, 1.25, 1.75]);
    expect(b.nextValues[3 * N + 1]).toBe(3.25);
    expect(column(b.advantages, 1)).toEqual([1.146484375, 2.0859375, 2.84375, 2.875, 0.96875, 1.375]);
    expect(column(b.returns, 1)).toEqual([2.396484375, 3.8359375, 5.09375, 5.625, 2.21875, 3.125]);
    // env 0 terminates at t = 2 and t = 5 (the last step: nothing bootstrapped from the next obs)
    expect(column(b.terminated, 0)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(column(b.advantages, 0)).toEqual([1.1875, 1.75, 1, 1.1875, 1.75, 1]);
    // env 2 is terminated and truncated on the same step: terminated, so V(final obs) = 2.5 is unused
    expect(column(b.terminated, 2)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(column(b.truncated, 2)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(column(b.advantages, 2)).toEqual([0.5, 0, 0.5, 0, 0.5, 0]);
    expect(column(b.returns, 2)).toEqual([2, 2, 2, 2, 2, 2]);
    // same-step autoreset: the observation after a done step is the new episode's first one
    const obsK = (i: number) => Array.from({ length: T }, (_, t) => b.observations[(t * N + i) * 2]);
    expect(obsK(0)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(obsK(1)).toEqual([0, 1, 2, 3, 0, 1]);
    expect(obsK(2)).toEqual([0, 1, 0, 1, 0, 1]);
    // every sub-env, both rollouts, against SB3's reward-bootstrap formulation
    let startK = [0, 0, 0];
    for (let rollout = 0; rollout < 2; rollout++) {
      if (rollout > 0) internals.collectRollout();
      const ref = sb3Reference(startK);
      for (let j = 0; j < T * N; j++) {
        expect(b.observations[j * 2], `obs k at ${j}, rollout ${rollout}`).toBe(ref.obsK[j]);
        expect(b.values[j]).toBe(ref.values[j]);
        expect(b.terminated[j]).toBe(ref.terminated[j]);
        expect(b.truncated[j]).toBe(ref.truncated[j]);
        expect(b.advantages[j], `advantage at ${j}, rollout ${rollout}`).toBeCloseTo(ref.advantages[j], 6);
        expect(b.returns[j], `return at ${j}, rollout ${rollout}`).toBeCloseTo(ref.returns[j], 6);
      }
      startK = Array.from(ref.endK);
    }
    // the second rollout of env 1 ends on a truncation: V(final obs k=4), not V(reset obs k=0)
    expect(column(b.truncated, 1)).toEqual([0, 1, 0, 0, 0, 1]);
    expect(column(b.advantages, 1)).toEqual([2.84375, 2.875, 1.146484375, 2.0859375, 2.84375, 2.875]);
    m.dispose();
  });

  it('TRPO collects the same buffer', async () => {
    const { m, internals } = await model('TRPO');
    internals.collectRollout();
    const ref = sb3Reference([0, 0, 0]);
    const b = internals.buffer;
    for (let j = 0; j < T * N; j++) {
      expect(b.advantages[j]).toBeCloseTo(ref.advantages[j], 6);
      expect(b.returns[j]).toBeCloseTo(ref.returns[j], 6);
    }
    m.dispose();
  });

  it('with reward normalization, bootstraps the normalized reward with the unnormalized V(final obs)', async () => {
    const { m, internals } = await model('PPO', { normReward: true });
    internals.collectRollout();
    const b = internals.buffer;
    // the rewards are really scaled (VecNormalize: r / sqrt(Var[discounted return] + ε))
    expect(column(b.rewards, 1)[3]).not.toBeCloseTo(4, 1);
    const ref = sb3Reference([0, 0, 0], b.rewards);
    for (let j = 0; j < T * N; j++) {
      expect(b.advantages[j], `advantage at ${j}`).toBeCloseTo(ref.advantages[j], 5);
      expect(b.returns[j], `return at ${j}`).toBeCloseTo(ref.returns[j], 5);
    }
    m.dispose();
  });

  it('refuses a next-step autoreset vector env (its final observations would be lost)', async () => {
    await expect(PPO.create({ env: vectorEnv('next-step'), nSteps: T, batchSize: T })).rejects.toThrow(
      /env\.autoresetMode must be 'same-step' .* got 'next-step'/,
    );
  });
});
