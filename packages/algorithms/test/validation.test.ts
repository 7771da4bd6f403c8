import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { make, makeVec, SyncVectorEnv } from '@proximal/envs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observationEncoder } from '../src/common/spaces.js';
import { CallbackList, PPO, TRPO } from '../src/index.js';

const small = { nSteps: 16, batchSize: 16, nEpochs: 1, policyKwargs: { netArch: [8] } };

describe('unknown options', () => {
  it('are refused with the camelCase name suggested for SB3 snake_case keys', async () => {
    const env = 'CartPole-v1';
    await expect(PPO.create({ env, learning_rate: 0.1 } as never)).rejects.toThrow(
      /PPO options: unknown option 'learning_rate' \(did you mean 'learningRate'\?\)/,
    );
    await expect(PPO.create({ env, n_steps: 64 } as never)).rejects.toThrow(/'n_steps'.*'nSteps'/);
    await expect(PPO.create({ env, ent_coef: 0.5 } as never)).rejects.toThrow(/'ent_coef'.*'entCoef'/);
    await expect(TRPO.create({ env, cg_max_steps: 5 } as never)).rejects.toThrow(
      /TRPO options: unknown option 'cg_max_steps' \(did you mean 'cgMaxSteps'\?\)/,
    );
    // PPO-only option on TRPO: no suggestion but refused
    await expect(TRPO.create({ env, nEpochs: 3 } as never)).rejects.toThrow(
      /TRPO options: unknown option 'nEpochs'/,
    );
  });

  it('suggests close misspellings and checks nested objects', async () => {
    const env = 'CartPole-v1';
    await expect(PPO.create({ env, learningRat: 0.1 } as never)).rejects.toThrow(
      /unknown option 'learningRat' \(did you mean 'learningRate'\?\)/,
    );
    await expect(PPO.create({ env, batchsize: 32 } as never)).rejects.toThrow(/did you mean 'batchSize'/);
    await expect(PPO.create({ env, policyKwargs: { net_arch: [8] } } as never)).rejects.toThrow(
      /policyKwargs: unknown option 'net_arch' \(did you mean 'netArch'\?\)/,
    );
    await expect(
      PPO.create({ env, policyKwargs: { netArch: { pi: [8], vf: [8], qf: [8] } } } as never),
    ).rejects.toThrow(/policyKwargs.netArch: unknown option 'qf'/);
    await expect(PPO.create({ env, normalize: { norm_obs: true } } as never)).rejects.toThrow(
      /normalize: unknown option 'norm_obs' \(did you mean 'normObs'\?\)/,
    );
  });
});

describe('sizes are checked before anything is allocated', () => {
  it('refuses a huge numEnvs, naming it and the limit', async () => {
    await expect(PPO.create({ env: 'CartPole-v1', numEnvs: 1e7 })).rejects.toThrow(
      /numEnvs must be ≤ 65536 .*got 10000000/,
    );
    await expect(TRPO.create({ env: 'CartPole-v1', numEnvs: 2.5 })).rejects.toThrow(
      /numEnvs must be a positive integer, got 2.5/,
    );
  });

  it('refuses a rollout buffer over the limit, naming nSteps, numEnvs and the limit', async () => {
    await expect(PPO.create({ env: 'CartPole-v1', nSteps: 1e9 })).rejects.toThrow(
      /nSteps × numEnvs is too large: nSteps = 1000000000 with numEnvs = 1.*the limit is 2 GiB/,
    );
    await expect(TRPO.create({ env: 'CartPole-v1', nSteps: 2 ** 20, numEnvs: 1024 })).rejects.toThrow(
      /nSteps = 1048576 with numEnvs = 1024/,
    );
  });

  it('refuses oversized networks', async () => {
    await expect(PPO.create({ env: 'CartPole-v1', policyKwargs: { netArch: [1e6] } })).rejects.toThrow(
      /policyKwargs.netArch must be an array of integers in \[1, 65536\]/,
    );
    await expect(
      PPO.create({ env: 'CartPole-v1', policyKwargs: { netArch: [60_000, 60_000] } }),
    ).rejects.toThrow(/gives \d+ parameters; the limit is 67108864/);
  });

  it('refuses numEnvs that disagrees with a given VectorEnv', async () => {
    const env = makeVec('CartPole-v1', { numEnvs: 2, autoresetMode: 'same-step' });
    await expect(PPO.create({ env, numEnvs: 3 })).rejects.toThrow(/numEnvs = 3 disagrees/);
  });
});

describe('hyperparameters are validated before training, the same way for PPO and TRPO', () => {
  it('refuses out-of-range values', async () => {
    const env = 'CartPole-v1';
    await expect(PPO.create({ env, clipRangeVf: -1 })).rejects.toThrow(
      /clipRangeVf must be a finite number > 0/,
    );
    await expect(TRPO.create({ env, learningRate: Number.POSITIVE_INFINITY })).rejects.toThrow(
      /learningRate must be a finite number > 0 .*got Infinity/,
    );
    await expect(PPO.create({ env, learningRate: Number.POSITIVE_INFINITY })).rejects.toThrow(
      /learningRate must be a finite number > 0/,
    );
    await expect(TRPO.create({ env, normalizeAdvantage: 1 as never })).rejects.toThrow(
      /normalizeAdvantage must be a boolean, got 1/,
    );
    await expect(PPO.create({ env, nEpochs: 2.5 })).rejects.toThrow(/nEpochs must be a positive integer/);
    await expect(PPO.create({ env, maxGradNorm: Number.NaN })).rejects.toThrow(/maxGradNorm/);
    await expect(PPO.create({ env, policyKwargs: { activationFn: 'gelu' as never } })).rejects.toThrow(
      /policyKwargs.activationFn must be 'tanh' \| 'relu' \| 'linear', got "gelu"/,
    );
    await expect(PPO.create({ env, policyKwargs: { orthoInit: 'no' as never } })).rejects.toThrow(
      /policyKwargs.orthoInit must be a boolean/,
    );
  });

  it('validates schedules at the start, middle and end of training', async () => {
    const env = 'CartPole-v1';
    await expect(PPO.create({ env, learningRate: (p) => p - 0.5 })).rejects.toThrow(
      /learningRate: the schedule must return a finite number ≥ 0, got -0.5 at progressRemaining = 0/,
    );
    await expect(TRPO.create({ env, learningRate: () => Number.NaN })).rejects.toThrow(
      /learningRate: the schedule must return .* got NaN at progressRemaining = 1/,
    );
    await expect(PPO.create({ env, clipRange: () => -0.1 })).rejects.toThrow(
      /clipRange: the schedule must return a finite number ≥ 0, got -0.1/,
    );
  });
});

describe('callbacks', () => {
  it('calls a plain function inside a callback array; returning false stops training', async () => {
    const m = await PPO.create({ env: 'CartPole-v1', seed: 1, ...small });
    let calls = 0;
    await m.learn({
      totalTimesteps: 160,
      callback: [
        {},
        () => {
          calls++;
          return false;
        },
      ],
    });
    expect(calls).toBe(1);
    expect(m.iterations).toBe(1);
    calls = 0;
    await m.learn({
      totalTimesteps: 160,
      callback: new CallbackList([
        () => {
          calls++;
          return false;
        },
      ]),
    });
    expect(calls).toBe(1);
    await expect(m.learn({ totalTimesteps: 16, callback: [5 as never] })).rejects.toThrow(
      /callback\[0\] must be a Callback object or a function, got 5/,
    );
    m.dispose();
  });
});

describe('predict returns what env.step accepts', () => {
  it('CartPole (Discrete actions): a number for one observation, Int32Array for a batch', async () => {
    const m = await PPO.create({ env: 'CartPole-v1', seed: 1, ...small });
    const env = make('CartPole-v1');
    let { observation } = env.reset({ seed: 0 });
    for (let i = 0; i < 5; i++) {
      const a = m.predict(observation);
      expect(typeof a).toBe('number');
      ({ observation } = env.step(a as number));
    }
    const vec = makeVec('CartPole-v1', { numEnvs: 3 });
    const batch = m.predict(vec.reset({ seed: 0 }).observations);
    expect(batch).toBeInstanceOf(Int32Array);
    expect((batch as Int32Array).length).toBe(3);
    vec.step(batch as Int32Array);
    m.dispose();
  });

  it('Pendulum (Box actions): a Float32Array the env accepts', async () => {
    const m = await PPO.create({ env: 'Pendulum-v1', seed: 1, ...small });
    const env = make('Pendulum-v1');
    const { observation } = env.reset({ seed: 0 });
    const a = m.predict(observation, { deterministic: true });
    expect(a).toBeInstanceOf(Float32Array);
    expect(env.actionSpace.contains(a)).toBe(true);
    env.step(a as Float32Array);
    m.dispose();
  });
});

describe('a single Env where a VectorEnv is needed', () => {
  it('is named, with the wrapping that fixes it', async () => {
    const env = make('CartPole-v1');
    await expect(PPO.create({ env: env as never })).rejects.toThrow(
      /env: expected a VectorEnv or a registered env id, got a single Env \(CartPole-v1\); wrap it: new SyncVectorEnv\(\[\(\) => env\], \{ autoresetMode: 'same-step' \}\)/,
    );
    const m = await PPO.create({
      env: new SyncVectorEnv([() => env], { autoresetMode: 'same-step' }),
      ...small,
    });
    await m.learn({ totalTimesteps: 16 });
    m.dispose();
  });
});

describe('discrete observation spaces (one-hot, as SB3 preprocess_obs)', () => {
  it('encodes Discrete and MultiDiscrete observations and refuses values outside the space', () => {
    const e = observationEncoder({ n: 3, start: 0, shape: [] }, 'PPO');
    expect(e.featureDim).toBe(3);
    expect(Array.from(e.encode(Float32Array.of(2, 0)))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => e.encode(Float32Array.of(3))).toThrow(/observation 0 must be an integer in \[0, 3\), got 3/);
    const md = observationEncoder({ nvec: [2, 3], start: [0, 1], shape: [2] }, 'PPO');
    expect(Array.from(md.encode(Float32Array.of(1, 3)))).toEqual([0, 1, 0, 0, 1]);
  });

  it('PPO learns FrozenLake-v1 (not slippery): the greedy policy reaches the goal', async () => {
    const env = makeVec('FrozenLake-v1', { numEnvs: 4, autoresetMode: 'same-step', isSlippery: false });
    const m = await PPO.create({
      env,
      seed: 2,
      nSteps: 64,
      batchSize: 64,
      nEpochs: 4,
      learningRate: 3e-3,
      entCoef: 0.01,
      policyKwargs: { netArch: [32] },
    });
    await m.learn({ totalTimesteps: 12_000 });
    const single = make('FrozenLake-v1', { isSlippery: false });
    let { observation } = single.reset({ seed: 0 });
    let reward = 0;
    for (let t = 0; t < 20; t++) {
      const a = m.predict(observation, { deterministic: true });
      expect(single.actionSpace.contains(a)).toBe(true);
      const r = single.step(a as number);
      reward += r.reward;
      observation = r.observation;
      if (r.terminated || r.truncated) break;
    }
    expect(reward).toBe(1);
    // a batch of one (VectorEnv observations) keeps a batched action
    expect(m.predict(Float32Array.of(0))).toBeInstanceOf(Int32Array);
    m.dispose();
  });

  it('TRPO runs on CliffWalking-v0 and the bandit', async () => {
    for (const id of ['CliffWalking-v0', 'Bandit-v0']) {
      const m = await TRPO.create({
        env: id,
        seed: 1,
        nSteps: 32,
        batchSize: 32,
        policyKwargs: { netArch: [8] },
      });
      await m.learn({ totalTimesteps: 64 });
      const a = m.predict(0);
      expect(make(id).actionSpace.contains(a)).toBe(true);
      m.dispose();
    }
  });
});

describe('loading', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proximal-validation-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses unknown load options', async () => {
    const m = await PPO.create({ env: 'CartPole-v1', seed: 1, ...small });
    await m.save(join(dir, 'a'));
    m.dispose();
    await expect(PPO.load(join(dir, 'a'), { learning_rate: 0.1 } as never)).rejects.toThrow(
      /unknown option 'learning_rate' \(did you mean 'learningRate'\?\)/,
    );
  });

  it('refuses weights whose shapes disagree with the config, naming the layer and both shapes', async () => {
    const m = await TRPO.create({
      env: 'CartPole-v1',
      seed: 1,
      nSteps: 16,
      batchSize: 16,
      policyKwargs: { netArch: [8] },
    });
    const d = join(dir, 'b');
    await m.save(d);
    m.dispose();
    const file = join(d, 'proximal.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.hyperparameters.policyKwargs.netArch = [16];
    await writeFile(file, JSON.stringify(json));
    await expect(TRPO.load(d)).rejects.toThrow(
      /proximal.json: network.actor\[0\] weight has shape \[4, 8\] in the file, but the config builds \[4, 16\]/,
    );
  });

  it('loads a model trained on a custom env when options.env is given', async () => {
    const custom = () =>
      new SyncVectorEnv([() => make('FrozenLake-v1', { isSlippery: false })], { autoresetMode: 'same-step' });
    const m = await PPO.create({ env: custom(), seed: 1, ...small });
    await m.learn({ totalTimesteps: 32 });
    const d = join(dir, 'c');
    await m.save(d);
    await expect(PPO.load(d)).rejects.toThrow(/saved without an env id .*pass options.env/);
    const loaded = await PPO.load(d, { env: custom() });
    for (let s = 0; s < 16; s++) {
      expect(loaded.predict(s, { deterministic: true })).toBe(m.predict(s, { deterministic: true }));
    }
    expect(loaded.numTimesteps).toBe(m.numTimesteps);
    m.dispose();
    loaded.dispose();
  });
});
