/**
 * The shared harness that replays Gymnasium fixtures one step at a time: for every recorded step,
 * set `state` to `states[t]`, apply `actions[t]`, and compare the observation, the reward, both
 * flags and (optionally) the next physical state.
 */
import { describe, expect, it } from 'vitest';
import { make } from '../src/index.js';
import { type FixtureEpisode, loadGymnasiumFixture } from './fixtures.js';

/** Fails unless |actual − expected| ≤ 1e-5·|expected| (absolute floor `floor`, default 1e-6). */
export function expectClose(actual: number, expected: number, what: string, floor = 1e-6): void {
  const err = Math.abs(actual - expected);
  const ok = err <= Math.max(1e-5 * Math.abs(expected), floor);
  if (!ok) expect.fail(`${what}: got ${actual}, expected ${expected} (error ${err})`);
}

/** Options of {@link describeFixtureReplay}. */
export interface ReplayOptions {
  /** Number of values in one observation. */
  obsDim: number;
  /** Number of physical state variables. */
  stateDim: number;
  /** Also compare the float64 state after each step with `states[t + 1]` (default true). */
  compareState?: boolean;
  /** Compare rewards with `toBe` instead of within 1e-5 relative (default false). */
  exactReward?: boolean;
  /** How a recorded action is passed to `step` (default: as recorded). */
  action?: (recorded: number | number[]) => unknown;
}

/** Replays one episode step by step; see the module comment. */
export function replayEpisode(envId: string, episode: FixtureEpisode, options: ReplayOptions): void {
  const { obsDim, stateDim, compareState = true, exactReward = false } = options;
  const toAction = options.action ?? ((a: number | number[]) => a);
  const env = make<Float32Array, unknown>(envId);
  const { observation } = env.reset({ seed: episode.seed });
  expect(observation).toBeInstanceOf(Float32Array);
  expect(observation.length).toBe(obsDim);
  env.state = episode.initial_state;
  expect(env.state.length).toBe(stateDim);
  const tag = `${envId} seed ${episode.seed}`;
  for (let t = 0; t < episode.actions.length; t++) {
    env.state = episode.states[t];
    const result = env.step(toAction(episode.actions[t]));
    const expected = episode.observations[t + 1];
    expect(result.observation).toBeInstanceOf(Float32Array);
    expect(result.observation.length).toBe(obsDim);
    for (let k = 0; k < obsDim; k++)
      expectClose(result.observation[k], expected[k], `${tag} t=${t} obs[${k}]`);
    if (exactReward) expect(result.reward, `${tag} reward t=${t}`).toBe(episode.rewards[t]);
    else expectClose(result.reward, episode.rewards[t], `${tag} t=${t} reward`);
    expect(result.terminated, `${tag} terminated t=${t}`).toBe(episode.terminated[t]);
    expect(result.truncated, `${tag} truncated t=${t}`).toBe(episode.truncated[t]);
    if (compareState && t + 1 < episode.states.length) {
      const next = env.state;
      for (let k = 0; k < stateDim; k++)
        expectClose(next[k], episode.states[t + 1][k], `${tag} t=${t} state[${k}]`);
    }
  }
}

/**
 * Declares a `describe` block replaying every episode of `gymnasium/<envId>.json` (one test per
 * episode) plus a check that the fixture holds 5 episodes of this env.
 */
export function describeFixtureReplay(envId: string, options: ReplayOptions): void {
  describe(`${envId} against Gymnasium 1.4 fixtures`, () => {
    const fixture = loadGymnasiumFixture(envId);

    it('has the recorded episodes', () => {
      expect(fixture.env_id).toBe(envId);
      expect(fixture.episodes.length).toBe(5);
    });

    for (const episode of fixture.episodes) {
      it(`reproduces every step of the episode with seed ${episode.seed} (${episode.actions.length} steps)`, () => {
        replayEpisode(envId, episode, options);
      });
    }
  });
}
