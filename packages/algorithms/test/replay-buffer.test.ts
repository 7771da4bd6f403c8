import { Random } from '@proximal/core';
import { BaseEnv, Box, Discrete, type EnvMetadata, SyncVectorEnv } from '@proximal/envs';
import { describe, expect, it } from 'vitest';
import { DQN, ReplayBuffer } from '../src/index.js';

/**
 * Observation [base + t] after t steps. Episodes end after `length` steps, by truncation or by
 * termination; the reset observation is [base − 1], which no step observation equals, so a reset
 * observation stored where the final one belongs would show.
 */
class Counter extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(-1000, 1000, [1]);
  readonly actionSpace = new Discrete(2);
  readonly metadata: EnvMetadata = { renderModes: [] };
  private t = 0;
  constructor(
    private readonly base: number,
    private readonly length: number,
    private readonly ending: 'truncated' | 'terminated',
  ) {
    super();
  }
  reset() {
    this.t = 0;
    return { observation: Float32Array.of(this.base - 1), info: {} };
  }
  step(action: number) {
    this.t++;
    const end = this.t >= this.length;
    return {
      observation: Float32Array.of(this.base + this.t),
      reward: this.base + this.t + action / 10,
      terminated: end && this.ending === 'terminated',
      truncated: end && this.ending === 'truncated',
      info: {},
    };
  }
}

describe('ReplayBuffer', () => {
  for (const optimizeMemoryUsage of [false, true]) {
    it(`stores the final observation of ended episodes; truncation bootstraps (done 0), termination does not (done 1)${optimizeMemoryUsage ? ' (optimizeMemoryUsage)' : ''}`, async () => {
      // env 0 is truncated after 3 steps, env 1 terminated after 2
      const env = new SyncVectorEnv(
        [() => new Counter(100, 3, 'truncated'), () => new Counter(200, 2, 'terminated')],
        {
          autoresetMode: 'same-step',
        },
      );
      // no training (learningStarts beyond the run): only collection into the buffer
      const m = await DQN.create({
        env,
        seed: 0,
        learningStarts: 1000,
        trainFreq: 1,
        bufferSize: 100,
        optimizeMemoryUsage,
      });
      await m.learn({ totalTimesteps: 8 }); // 4 vector steps
      const b = m.replayBuffer;
      expect(b.bufferSize).toBe(50); // ⌊100 / 2⌋ rows per env
      expect(b.pos).toBe(4);
      const rows = (a: ArrayLike<number>) => Array.from(a).slice(0, 8);
      // row-major [step, env]; hand-computed:
      // env 0: s = 99, 101, 102 | 99 ;  s' = 101, 102, 103 (final, truncated) | 101
      // env 1: s = 199, 201 | 199, 201 ; s' = 201, 202 (final, terminated) | 201, 202 (final, terminated)
      expect(rows(b.observations)).toEqual([99, 199, 101, 201, 102, 199, 99, 201]);
      expect(Array.from({ length: 8 }, (_, k) => b.nextObservation(k)[0])).toEqual([
        101, 201, 102, 202, 103, 201, 101, 202,
      ]);
      expect(b.nextObservations.length).toBe(optimizeMemoryUsage ? 0 : 100);
      expect(rows(b.dones)).toEqual([0, 0, 0, 1, 0, 0, 0, 1]);
      const actions = rows(b.actions);
      const expectedRewards = [101, 201, 102, 202, 103, 201, 101, 202].map((r, i) =>
        Math.fround(r + actions[i] / 10),
      );
      expect(rows(b.rewards)).toEqual(expectedRewards);
      // the sampled transition at the truncation: done 0, next observation the final one (103, not the reset 99)
      const s = b.sample(64, new Random(1));
      let seenTruncation = false;
      let seenTermination = false;
      for (let i = 0; i < 64; i++) {
        expect(s.indices[i]).toBeLessThan(8);
        if (s.observations[i] === 102) {
          seenTruncation = true;
          expect(s.nextObservations[i]).toBe(103);
          expect(s.dones[i]).toBe(0);
        }
        if (s.observations[i] === 201) {
          seenTermination = true;
          expect(s.nextObservations[i]).toBe(202);
          expect(s.dones[i]).toBe(1);
        }
      }
      expect(seenTruncation && seenTermination).toBe(true);
      m.dispose();
    });
  }

  it('optimizeMemoryUsage gives the same transitions and samples as the full layout (episode ends, wrap-around, save/load)', () => {
    const N = 3;
    const D = 2;
    const plain = new ReplayBuffer({ bufferSize: 30, obsDim: D, numEnvs: N });
    const compact = new ReplayBuffer({ bufferSize: 30, obsDim: D, numEnvs: N, optimizeMemoryUsage: true });
    expect(compact.nextObservations.length).toBe(0);
    const gen = new Random(11);
    const t = new Array(N).fill(0);
    const episode = new Array(N).fill(0);
    const current = (i: number) => [i * 1000 + episode[i] * 10 + t[i], -1 - i];
    let obs = Array.from({ length: N }, (_, i) => current(i)).flat();
    for (let step = 0; step < 37; step++) {
      const next: number[] = [];
      const stored: number[] = [];
      const terminated: number[] = [];
      const truncated: number[] = [];
      for (let i = 0; i < N; i++) {
        t[i]++;
        const s2 = current(i);
        const end = gen.uniform() < 0.25;
        const kind = gen.integer(2);
        terminated.push(end && kind === 0 ? 1 : 0);
        truncated.push(end && kind === 1 ? 1 : 0);
        stored.push(...s2); // the final observation where the episode ended
        if (end) {
          episode[i]++;
          t[i] = 0;
        }
        next.push(...current(i)); // the reset observation where it ended
      }
      const actions = Array.from({ length: N }, () => gen.integer(4));
      const rewards = Array.from({ length: N }, () => gen.uniform());
      plain.add(obs, stored, actions, rewards, terminated, truncated);
      compact.add(obs, stored, actions, rewards, terminated, truncated);
      obs = next;
      for (let k = 0; k < plain.size() * N; k++) {
        expect(Array.from(compact.nextObservation(k))).toEqual(Array.from(plain.nextObservation(k)));
      }
    }
    expect(plain.full && compact.full).toBe(true);
    expect(compact.sample(64, new Random(2))).toEqual(plain.sample(64, new Random(2)));
    const { meta, tensors } = compact.state();
    const restored = new ReplayBuffer({ bufferSize: 30, obsDim: D, numEnvs: N, optimizeMemoryUsage: true });
    restored.load(meta, new Map(tensors.map((x) => [x.name, Float32Array.from(x.data)])));
    expect(restored.sample(64, new Random(3))).toEqual(plain.sample(64, new Random(3)));
    expect(() => plain.load(meta, new Map())).toThrow(
      /optimizeMemoryUsage = true, but this buffer has optimizeMemoryUsage = false/,
    );
    // a new learn() (or a load) resets the envs: the newest transitions keep their successors
    const learnAgain = new ReplayBuffer({ bufferSize: 10, obsDim: 1, optimizeMemoryUsage: true });
    learnAgain.add([1], [2], [0], [0], [0], [0]);
    learnAgain.markEpisodeBoundary();
    learnAgain.add([0], [1], [0], [0], [0], [0]);
    expect([learnAgain.nextObservation(0)[0], learnAgain.nextObservation(1)[0]]).toEqual([2, 1]);
    // otherwise the next add must continue the episodes that did not end
    expect(() =>
      compact.add(
        new Array(N * D).fill(0.5),
        new Array(N * D).fill(0),
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ),
    ).toThrow(/obs of env \d must be the previous add's nextObs/);
  });

  it('wraps around: the newest rows overwrite the oldest; sampling sees only what is held', () => {
    const b = new ReplayBuffer({ bufferSize: 3, obsDim: 2 });
    for (let t = 0; t < 5; t++) {
      b.add([t, -t], [t + 1, -t - 1], [t % 2], [t], [0], [0]);
    }
    expect(b.full).toBe(true);
    expect(b.pos).toBe(2);
    expect(b.size()).toBe(3);
    // rows 0 and 1 were overwritten by transitions 3 and 4; row 2 holds transition 2
    expect(Array.from(b.observations)).toEqual([3, -3, 4, -4, 2, -2]);
    expect(Array.from(b.nextObservations)).toEqual([4, -4, 5, -5, 3, -3]);
    expect(Array.from(b.rewards)).toEqual([3, 4, 2]);
    const s = b.sample(50, new Random(3));
    expect(new Set(s.rewards)).toEqual(new Set([2, 3, 4]));
  });

  it('samples the same indices under the same seed, and other ones under another', () => {
    const b = new ReplayBuffer({ bufferSize: 1000, obsDim: 1, numEnvs: 4 });
    for (let t = 0; t < 100; t++)
      b.add([t, t, t, t], [t, t, t, t], [0, 1, 0, 1], [t, t, t, t], [0, 0, 0, 0], [0, 0, 0, 0]);
    const a = b.sample(32, new Random(7)).indices;
    expect(Array.from(b.sample(32, new Random(7)).indices)).toEqual(Array.from(a));
    expect(Array.from(b.sample(32, new Random(8)).indices)).not.toEqual(Array.from(a));
    // the indices are drawn as SB3 draws them: a filled row, then an env
    const rng = new Random(7);
    const expected = Array.from({ length: 32 }, () => {
      const row = rng.integer(100);
      return row * 4 + rng.integer(4);
    });
    expect(Array.from(a)).toEqual(expected);
  });

  it('state() and load() round-trip the filled part and the position', () => {
    const b = new ReplayBuffer({ bufferSize: 4, obsDim: 1, numEnvs: 2 });
    for (let t = 0; t < 3; t++)
      b.add([t, 10 + t], [t + 1, 11 + t], [1, 0], [t, -t], [t === 2 ? 1 : 0, 0], [0, 1]);
    const { meta, tensors } = b.state();
    expect(meta).toEqual({ bufferSize: 2, numEnvs: 2, obsDim: 1, actionDim: 1, pos: 1, full: true });
    const c = new ReplayBuffer({ bufferSize: 4, obsDim: 1, numEnvs: 2 });
    c.load(meta, new Map(tensors.map((t) => [t.name, Float32Array.from(t.data)])));
    for (const k of ['observations', 'nextObservations', 'actions', 'rewards', 'dones'] as const) {
      expect(Array.from(c[k])).toEqual(Array.from(b[k]));
    }
    expect([c.pos, c.full]).toEqual([1, true]);
    const other = new ReplayBuffer({ bufferSize: 6, obsDim: 1, numEnvs: 2 });
    expect(() => other.load(meta, new Map())).toThrow(/bufferSize = 2, but this buffer has bufferSize = 3/);
  });

  it('refuses bad input with clear errors, and oversized buffers before allocating', () => {
    expect(() => new ReplayBuffer({ bufferSize: 1e12, obsDim: 4 })).toThrow(
      /bufferSize is too large.*MAX_REPLAY_BUFFER_BYTES/,
    );
    expect(() => new ReplayBuffer({ bufferSize: 0, obsDim: 4 })).toThrow(
      /bufferSize must be a positive integer, got 0/,
    );
    const b = new ReplayBuffer({ bufferSize: 10, obsDim: 2, numEnvs: 2 });
    expect(() => b.add([0, 0, 0], [0, 0, 0, 0], [0, 0], [0, 0], [0, 0], [0, 0])).toThrow(
      /obs has length 3, expected 4/,
    );
    expect(() => b.add([0, 0, 0, 0], [0, 0, 0, 0], [0, 0], [0, Number.NaN], [0, 0], [0, 0])).toThrow(
      /rewards\[1\] must be finite, got NaN/,
    );
    expect(() => b.sample(4, new Random(0))).toThrow(/empty replay buffer/);
  });
});
