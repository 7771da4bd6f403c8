import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Env, GridWorld, make, makeVec, type StepResult, Wrapper } from '@proximal/envs';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePolicy, QLearning, SARSA, type TrainingContext } from '../src/index.js';

// The 2x3 maze (Maze2x3-v0), states in row-major order:
//   S=0 1 2
//   T=3 4 G=5    (a wall between 2 and 5); actions 0 up, 1 right, 2 down, 3 left.
const RIGHT = 1;
const DOWN = 2;
const greedyOnly = { explorationInitialEps: 0, explorationFinalEps: 0 };

/** Records the actions it is given. */
class ActionRecorder<O> extends Wrapper<O, number> {
  readonly actions: number[] = [];
  constructor(env: Env<O, number>) {
    super(env);
  }
  override step(action: number): StepResult<O> {
    this.actions.push(action);
    return super.step(action);
  }
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('tabular TD updates (hand-computed)', () => {
  it('Q-learning: Q(s,a) += α [r + γ max_a′ Q(s′,a′) − Q(s,a)]; termination drops the max', () => {
    const agent = new QLearning({ env: 'Maze2x3-v0', learningRate: 0.5, gamma: 0.9, seed: 0 });
    const q = agent.qTable; // [6 × 4]
    q.set([1, 4, 2, 3], 1 * 4); // Q(1, ·): max 4
    q[0 * 4 + RIGHT] = 2;
    // target 1 + 0.9 · 4 = 4.6; δ = 2.6; Q ← 2 + 0.5 · 2.6 = 3.3
    expect(agent.update({ state: 0, action: RIGHT, reward: 1, nextState: 1, terminated: false })).toBeCloseTo(
      2.6,
      6,
    );
    expect(q[RIGHT]).toBeCloseTo(3.3, 6);
    // terminated: target −10 only, even though Q(3, ·) is not zero
    q.set([7, 7, 7, 7], 3 * 4);
    q[DOWN] = -1;
    expect(agent.update({ state: 0, action: DOWN, reward: -10, nextState: 3, terminated: true })).toBeCloseTo(
      -9,
      6,
    );
    expect(q[DOWN]).toBeCloseTo(-5.5, 6); // −1 + 0.5 · (−10 − (−1))
    // nextAction is ignored by Q-learning
    q[4 * 4 + RIGHT] = 0;
    agent.update({ state: 4, action: RIGHT, reward: 0, nextState: 1, nextAction: 0, terminated: false });
    expect(q[4 * 4 + RIGHT]).toBeCloseTo(0.5 * 0.9 * 4, 6);
  });

  it('SARSA: Q(s,a) += α [r + γ Q(s′,a′) − Q(s,a)] with a′ the next action, not the best', () => {
    const agent = new SARSA({ env: 'Maze2x3-v0', learningRate: 0.5, gamma: 0.9, seed: 0 });
    const q = agent.qTable;
    q.set([1, 4, 2, 3], 1 * 4);
    q[RIGHT] = 2;
    // a′ = 2 (Q = 2): target 1 + 0.9 · 2 = 2.8; δ = 0.8; Q ← 2.4
    expect(
      agent.update({ state: 0, action: RIGHT, reward: 1, nextState: 1, nextAction: 2, terminated: false }),
    ).toBeCloseTo(0.8, 6);
    expect(q[RIGHT]).toBeCloseTo(2.4, 6);
    q.set([7, 7, 7, 7], 5 * 4);
    expect(agent.update({ state: 4, action: RIGHT, reward: 10, nextState: 5, terminated: true })).toBeCloseTo(
      10,
      6,
    );
    expect(q[4 * 4 + RIGHT]).toBeCloseTo(5, 6);
    expect(() => agent.update({ state: 0, action: 0, reward: 0, nextState: 1, terminated: false })).toThrow(
      /SARSA: nextAction is required/,
    );
    expect(() => agent.update({ state: 6, action: 0, reward: 0, nextState: 1, terminated: true })).toThrow(
      /state must be an integer in \[0, 6\), got 6/,
    );
    expect(() => agent.update({ state: 0, action: 4, reward: 0, nextState: 1, terminated: true })).toThrow(
      /action must be an integer in \[0, 4\), got 4/,
    );
  });

  for (const Algo of [QLearning, SARSA]) {
    it(`${Algo.name} learn(): a truncated step bootstraps, a terminated one does not`, async () => {
      // one-step episodes: every step is truncated unless it terminates
      const truncated = new Algo({
        env: make('Maze2x3-v0', { maxEpisodeSteps: 1 }),
        learningRate: 0.5,
        gamma: 0.9,
        seed: 0,
        ...greedyOnly,
      });
      truncated.qTable[RIGHT] = 1; // greedy at the start: right, to state 1
      truncated.qTable.set([0, 6, 0, 0], 1 * 4); // Q(1, ·): max (and greedy a′) 6
      await truncated.learn({ totalTimesteps: 1 });
      // target 0 + 0.9 · 6 = 5.4 (bootstrapped from the final state despite the reset)
      expect(truncated.qTable[RIGHT]).toBeCloseTo(1 + 0.5 * (5.4 - 1), 6);
      expect(truncated.numTimesteps).toBe(1);

      const terminated = new Algo({
        env: 'Maze2x3-v0',
        learningRate: 0.5,
        gamma: 0.9,
        seed: 0,
        ...greedyOnly,
      });
      terminated.qTable[DOWN] = 1; // greedy: down, into the trap
      terminated.qTable.set([6, 6, 6, 6], 3 * 4);
      await terminated.learn({ totalTimesteps: 1 });
      expect(terminated.qTable[DOWN]).toBeCloseTo(1 + 0.5 * (-10 - 1), 6);
    });
  }

  it('SARSA bootstraps from the action it takes next (ε = 1: random actions)', async () => {
    const env = new ActionRecorder(make<Float32Array, number>('Maze2x3-v0'));
    const agent = new SARSA({
      env,
      learningRate: 0.5,
      gamma: 0.9,
      seed: 3,
      explorationInitialEps: 1,
      explorationFinalEps: 1,
    });
    const before = Float32Array.from({ length: 24 }, (_, k) => k / 10);
    agent.qTable.set(before);
    await agent.learn({ totalTimesteps: 2 });
    const [a0, a1] = env.actions;
    const maze = new GridWorld();
    const { nextState: s1, reward, terminated } = maze.P[0][a0][0];
    expect(terminated).toBe(false); // this seed's first move does not end the episode
    expect(s1 * 4 + a1).not.toBe(a0); // the second update does not touch Q(0, a0)
    const expected = before[a0] + 0.5 * (reward + 0.9 * before[s1 * 4 + a1] - before[a0]);
    expect(agent.qTable[a0]).toBeCloseTo(expected, 6);
    const max = Math.max(...before.slice(s1 * 4, s1 * 4 + 4));
    expect(before[s1 * 4 + a1]).not.toBe(max); // so Q-learning's target would differ
  });

  it('calls callbacks after each episode; one returning false stops training', async () => {
    const agent = new QLearning({ env: 'Maze2x3-v0', seed: 0 });
    const seen: TrainingContext[] = [];
    await agent.learn({
      totalTimesteps: 10_000,
      callback: (ctx) => {
        seen.push(ctx);
        return seen.length < 3 ? undefined : false;
      },
    });
    expect(seen.map((c) => c.iteration)).toEqual([1, 2, 3]);
    const lengths = seen.map((c) => c.episodeLengths[0]);
    expect(agent.numTimesteps).toBe(lengths[0] + lengths[1] + lengths[2]);
    expect(seen[2].numTimesteps).toBe(agent.numTimesteps);
    expect(seen[2].metrics['time/episodes']).toBe(3);
    expect([10, -10, 0]).toContain(seen[0].episodeReturns[0]);
  });

  it('decays ε linearly over explorationFraction of totalTimesteps (SB3 DQN), then holds it', async () => {
    const seen: [number, number][] = [];
    const agent = new QLearning({
      env: 'Maze2x3-v0',
      seed: 1,
      explorationInitialEps: 1,
      explorationFinalEps: 0.1,
      explorationFraction: 0.5,
    });
    await agent.learn({
      totalTimesteps: 200,
      callback: (ctx: TrainingContext) => {
        seen.push([ctx.numTimesteps, ctx.metrics['rollout/exploration_rate']]);
        return undefined;
      },
    });
    expect(seen.length).toBeGreaterThan(5);
    for (const [n, eps] of seen) expect(eps).toBeCloseTo(n >= 100 ? 0.1 : 1 - (0.9 * n) / 100, 12);
    expect(agent.explorationRate).toBeCloseTo(0.1, 12);
  });
});

describe('tabular learning (greedy evaluation)', () => {
  it('Q-learning finds the optimal CliffWalking path (return −13); SARSA a safer one (better than −30)', async () => {
    const hp = { learningRate: 0.5, gamma: 1, explorationInitialEps: 0.1, explorationFinalEps: 0.1 };
    const q = await new QLearning({ env: 'CliffWalking-v0', seed: 0, ...hp }).learn({
      totalTimesteps: 30_000,
    });
    const evalEnv = () => make('CliffWalking-v0', { maxEpisodeSteps: 200 });
    expect((await evaluatePolicy(q, evalEnv(), { nEvalEpisodes: 1 })).meanReward).toBe(-13);
    const s = await new SARSA({ env: 'CliffWalking-v0', seed: 0, ...hp }).learn({ totalTimesteps: 60_000 });
    const sarsa = (await evaluatePolicy(s, evalEnv(), { nEvalEpisodes: 1 })).meanReward;
    expect(sarsa).toBeGreaterThan(-30);
    expect(sarsa).toBeLessThan(-13); // the safe path keeps away from the cliff edge
  });

  it('solves FrozenLake 4x4: success 1.0 when not slippery, ≥ 0.6 when slippery (optimum ≈ 0.74)', async () => {
    for (const Algo of [QLearning, SARSA]) {
      const agent = new Algo({ env: make('FrozenLake-v1', { isSlippery: false }), seed: 0 });
      await agent.learn({ totalTimesteps: 20_000 });
      const ev = await evaluatePolicy(agent, make('FrozenLake-v1', { isSlippery: false }), {
        nEvalEpisodes: 10,
      });
      expect(ev.meanReward).toBe(1);
      expect(ev.episodeLengths[0]).toBe(6);
    }
    const slippery = new QLearning({
      env: 'FrozenLake-v1',
      seed: 0,
      learningRate: 0.05,
      explorationFraction: 0.5,
    });
    await slippery.learn({ totalTimesteps: 300_000 });
    const ev = await evaluatePolicy(slippery, make('FrozenLake-v1'), { nEvalEpisodes: 1000, seed: 1 });
    expect(ev.meanReward).toBeGreaterThanOrEqual(0.6);
  });

  it("reaches the maze's optimal return (+10 in 3 steps) from the one-hot observations", async () => {
    for (const Algo of [QLearning, SARSA]) {
      const agent = new Algo({ env: 'Maze2x3-v0', seed: 0, gamma: 0.9, explorationFraction: 0.5 });
      await agent.learn({ totalTimesteps: 5000 });
      const ev = await evaluatePolicy(agent, make('Maze2x3-v0'), { nEvalEpisodes: 5 });
      expect(ev.episodeRewards).toEqual([10, 10, 10, 10, 10]);
      expect(ev.episodeLengths).toEqual([3, 3, 3, 3, 3]);
      const start = Float32Array.of(1, 0, 0, 0, 0, 0);
      expect(agent.predict(start)).toBe(RIGHT);
    }
  });
});

describe('tabular agents: determinism, save/load, options', () => {
  it('gives the same table for the same seed and a different one for another seed', async () => {
    const run = async (seed: number) =>
      Array.from(
        (await new QLearning({ env: 'FrozenLake-v1', seed }).learn({ totalTimesteps: 5000 })).qTable,
      );
    const a = await run(4);
    expect(await run(4)).toEqual(a);
    expect(await run(5)).not.toEqual(a);
  });

  it('save/load round trip: same table, hyperparameters, counters and predictions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proximal-tabular-'));
    dirs.push(dir);
    const agent = new SARSA({
      env: 'CliffWalking-v0',
      seed: 2,
      learningRate: 'lin_0.5',
      gamma: 0.95,
    });
    await agent.learn({ totalTimesteps: 3000 });
    await agent.save(dir);
    const loaded = await SARSA.load(dir);
    expect(Array.from(loaded.qTable)).toEqual(Array.from(agent.qTable));
    expect(loaded.describeHyperparameters()).toEqual(agent.describeHyperparameters());
    expect(loaded.describeHyperparameters().learningRate).toBe('lin_0.5');
    expect(loaded.numTimesteps).toBe(3000);
    expect(loaded.explorationRate).toBe(agent.explorationRate);
    expect(loaded.envId).toBe('CliffWalking-v0');
    expect(loaded.episodes.totalEpisodes).toBe(agent.episodes.totalEpisodes);
    for (let s = 0; s < 48; s++) expect(loaded.predict(s)).toBe(agent.predict(s));
    await expect(QLearning.load(dir)).rejects.toThrow(/holds a SARSA model, not QLearning/);
    await expect(SARSA.load(dir, { env: 'FrozenLake-v1' })).rejects.toThrow(
      /holds a Q-table of 192 values, but the env needs 16 × 4 = 64/,
    );
  });

  it('load remakes the env with the options it was made with (FrozenLake not slippery)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proximal-tabular-'));
    dirs.push(dir);
    const agent = new QLearning({ env: make('FrozenLake-v1', { isSlippery: false }), seed: 0 });
    await agent.learn({ totalTimesteps: 20_000 });
    await agent.save(dir);
    const loaded = await QLearning.load(dir);
    expect((loaded.env.unwrapped as unknown as { isSlippery: boolean }).isSlippery).toBe(false);
    expect(loaded.env.spec?.maxEpisodeSteps).toBe(100);
    expect((await evaluatePolicy(loaded, loaded.env, { nEvalEpisodes: 3 })).meanReward).toBe(1);
  });

  it('refuses unknown options, bad hyperparameters and non-tabular spaces, naming them', async () => {
    expect(() => new QLearning({ env: 'Maze2x3-v0', epsilon: 0.1 } as never)).toThrow(
      /QLearning options: unknown option 'epsilon' \(did you mean 'gamma'\?\)|QLearning options: unknown option 'epsilon'; known options: env, explorationFinalEps/,
    );
    expect(() => new SARSA({ env: 'Maze2x3-v0', gamma: 1.5 })).toThrow(/gamma must be in \[0, 1\], got 1.5/);
    expect(() => new SARSA({ env: 'Maze2x3-v0', learningRate: 0 })).toThrow(
      /learningRate must be in \(0, 1\]/,
    );
    expect(() => new QLearning({ env: 'Maze2x3-v0', explorationFraction: -0.1 })).toThrow(
      /explorationFraction/,
    );
    expect(() => new QLearning({ env: 'CartPole-v1' })).toThrow(
      /QLearning needs a Discrete observation space or a one-hot Box\(0, 1, \(n,\)\) one, got Box\(/,
    );
    expect(() => new QLearning({ env: 'Pendulum-v1' })).toThrow(/needs a Discrete action space/);
    expect(() => new QLearning({ env: 42 as never })).toThrow(/env must be an Env or a registered env id/);
    const maze = new QLearning({ env: 'Maze2x3-v0', seed: 0 });
    expect(() => maze.predict(Float32Array.of(0.5, 0.5, 0, 0, 0, 0))).toThrow(
      /observation must be a one-hot Float32Array of length 6, got \[0.5, 0.5, 0, 0, 0, 0\]/,
    );
    expect(() => new QLearning({ env: 'FrozenLake-v1' }).predict(16)).toThrow(
      /integer state in \[0, 16\), got 16/,
    );
    await expect(maze.learn({ totalTimesteps: 0 })).rejects.toThrow(
      /totalTimesteps must be a positive integer/,
    );
    // schedules for α: a function or a JSON form
    expect(new QLearning({ env: 'Maze2x3-v0', learningRate: 'cos_0.5' }).currentLearningRate()).toBe(0.5);
  });

  it('takes one observation at a time (a vector env gives batches)', async () => {
    const agent = new QLearning({ env: 'FrozenLake-v1', seed: 0 });
    await expect(evaluatePolicy(agent, makeVec('FrozenLake-v1', { numEnvs: 2 }))).rejects.toThrow(
      /observation must be an integer state in \[0, 16\), got an array of length 2 \(one observation at a time/,
    );
  });
});
