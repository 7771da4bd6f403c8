import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Box, Discrete, MultiDiscrete } from '@proximal/envs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  A2C_DEFAULTS,
  type AlgorithmDefinition,
  checkHyperparameter,
  DQN_DEFAULTS,
  defaultsOf,
  getAlgorithm,
  listAlgorithms,
  PPO,
  PPO_DEFAULTS,
  PPO_SCHEMA,
  registerAlgorithm,
  resolveHyperparameters,
  snakeCaseOf,
  TABULAR_DEFAULTS,
  TRPO,
  TRPO_DEFAULTS,
  unregisterAlgorithm,
  VPG_DEFAULTS,
} from '../src/index.js';

const work = await mkdtemp(join(tmpdir(), 'proximal-registry-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('the algorithm registry', () => {
  it('lists every built-in algorithm, in order', () => {
    expect(listAlgorithms().map((d) => d.name)).toEqual([
      'ppo',
      'trpo',
      'a2c',
      'vpg',
      'dqn',
      'q-learning',
      'sarsa',
    ]);
    expect(listAlgorithms().map((d) => d.modelName)).toEqual([
      'PPO',
      'TRPO',
      'A2C',
      'VPG',
      'DQN',
      'QLearning',
      'SARSA',
    ]);
  });

  it('finds an algorithm by its name (any case) or the name its models are saved under', () => {
    expect(getAlgorithm('PPO').name).toBe('ppo');
    expect(getAlgorithm('QLearning').name).toBe('q-learning');
    expect(() => getAlgorithm('ppp')).toThrow(
      /unknown algorithm 'ppp'; available: ppo, trpo, a2c, vpg, dqn, q-learning, sarsa \(did you mean 'ppo'\?\)/,
    );
  });

  it("each schema's defaults are the reference implementation's (SB3, sb3-contrib, Spinning Up)", () => {
    // stable_baselines3.PPO.__init__
    expect(defaultsOf(getAlgorithm('ppo').schema)).toEqual({
      learningRate: 3e-4,
      nSteps: 2048,
      batchSize: 64,
      nEpochs: 10,
      gamma: 0.99,
      gaeLambda: 0.95,
      clipRange: 0.2,
      clipRangeVf: null,
      normalizeAdvantage: true,
      entCoef: 0,
      vfCoef: 0.5,
      maxGradNorm: 0.5,
      targetKl: null,
      dualClip: null,
      objective: 'clip',
      klCoef: 1,
      klTarget: 0.01,
      useSde: false,
      sdeSampleFreq: -1,
      policyKwargs: { netArch: [64, 64], activationFn: 'tanh' },
    });
    // sb3_contrib.TRPO.__init__
    expect(defaultsOf(getAlgorithm('trpo').schema)).toEqual({
      learningRate: 1e-3,
      nSteps: 2048,
      batchSize: 128,
      gamma: 0.99,
      gaeLambda: 0.95,
      cgMaxSteps: 15,
      cgDamping: 0.1,
      lineSearchShrinkingFactor: 0.8,
      lineSearchMaxIter: 10,
      nCriticUpdates: 10,
      normalizeAdvantage: true,
      targetKl: 0.01,
      subSamplingFactor: 1,
      useSde: false,
      sdeSampleFreq: -1,
      policyKwargs: { netArch: [64, 64], activationFn: 'tanh' },
    });
    // the exported defaults are the schemas' (one copy)
    expect(defaultsOf(getAlgorithm('ppo').schema)).toEqual(PPO_DEFAULTS);
    expect(defaultsOf(getAlgorithm('trpo').schema)).toEqual(TRPO_DEFAULTS);
    expect(defaultsOf(getAlgorithm('a2c').schema)).toEqual(A2C_DEFAULTS);
    expect(defaultsOf(getAlgorithm('vpg').schema)).toEqual(VPG_DEFAULTS);
    expect(defaultsOf(getAlgorithm('q-learning').schema)).toEqual(TABULAR_DEFAULTS);
    expect(defaultsOf(getAlgorithm('sarsa').schema)).toEqual(TABULAR_DEFAULTS);
    expect(defaultsOf(getAlgorithm('dqn').schema)).toEqual(DQN_DEFAULTS);
  });

  it('every key has a kind, a help line and a snake_case alias', () => {
    for (const d of listAlgorithms()) {
      expect(d.summary.length, d.name).toBeGreaterThan(10);
      for (const s of d.schema) {
        expect(s.help.length, `${d.name}.${s.key}`).toBeGreaterThan(3);
        expect(snakeCaseOf(s.key)).toMatch(/^[a-z0-9_]+$/);
      }
    }
    expect(snakeCaseOf('sdeSampleFreq')).toBe('sde_sample_freq');
  });

  it('tells which spaces each algorithm supports, with the reason when not', () => {
    const cartPole = { observationSpace: new Box(-1, 1, [4]), actionSpace: new Discrete(2) };
    const frozenLake = { observationSpace: new Discrete(16), actionSpace: new Discrete(4) };
    expect(getAlgorithm('ppo').supports(cartPole)).toEqual({ supported: true });
    expect(getAlgorithm('ppo').supports(frozenLake)).toEqual({ supported: true });
    expect(getAlgorithm('q-learning').supports(frozenLake)).toEqual({ supported: true });
    expect(getAlgorithm('dqn').supports(cartPole)).toEqual({ supported: true });
    const pendulum = { observationSpace: new Box(-1, 1, [3]), actionSpace: new Box(-2, 2, [1]) };
    const dqnBox = getAlgorithm('dqn').supports(pendulum);
    expect(dqnBox.supported).toBe(false);
    expect(dqnBox.supported ? '' : dqnBox.reason).toMatch(/DQN needs a Discrete action space/);
    const r = getAlgorithm('sarsa').supports(cartPole);
    expect(r.supported).toBe(false);
    expect(r.supported === false && r.reason).toMatch(/needs a Discrete observation space/);
    const multi = { observationSpace: new Box(-1, 1, [4]), actionSpace: new MultiDiscrete([2, 3]) };
    expect(getAlgorithm('a2c').supports(multi)).toEqual({ supported: true });
    expect(getAlgorithm('trpo').supports(multi)).toEqual({
      supported: false,
      reason: 'TRPO supports Discrete and Box action spaces, got MultiDiscrete',
    });
  });
});

describe('validation from the schema', () => {
  it('PPO and TRPO check the learning rate the same way (one copy of the check)', async () => {
    const env = 'CartPole-v1';
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 'fast', (p: number) => p - 1]) {
      const messages: string[] = [];
      for (const A of [PPO, TRPO]) {
        const create = A.create as (o: object) => Promise<{ dispose(): void }>;
        messages.push(
          await create({ env, learningRate: bad }).then(
            (m) => {
              m.dispose();
              return 'created';
            },
            (e: Error) => e.message,
          ),
        );
      }
      expect(messages[0], String(bad)).toMatch(/learningRate/);
      expect(messages[1]).toBe(messages[0]);
    }
  });

  it('names the key, the expected and the actual value', () => {
    const spec = (key: string) => PPO_SCHEMA.find((s) => s.key === key)!;
    expect(() => checkHyperparameter(spec('nEpochs'), 2.5)).toThrow(
      'nEpochs must be a positive integer, got 2.5',
    );
    expect(() => checkHyperparameter(spec('objective'), 'trust')).toThrow(
      `objective must be 'clip' | 'kl-penalty', got "trust"`,
    );
    expect(() => checkHyperparameter(spec('targetKl'), -1)).toThrow(
      'targetKl must be a finite number > 0 or null, got -1',
    );
    expect(() => checkHyperparameter(spec('gamma'), 1.5)).toThrow('gamma must be in [0, 1], got 1.5');
    expect(() => checkHyperparameter(spec('maxGradNorm'), 0)).toThrow(/maxGradNorm must be > 0/);
    checkHyperparameter(spec('maxGradNorm'), Number.POSITIVE_INFINITY); // no clipping
    checkHyperparameter(spec('targetKl'), null);
  });

  it('accepts the JSON / CLI forms of schedules for every schedule key', async () => {
    const h = resolveHyperparameters<{ learningRate: (p: number) => number; clipRange: number }>(PPO_SCHEMA, {
      learningRate: 'lin_0.001',
      clipRange: '0.1',
    });
    expect(h.learningRate(0.5)).toBeCloseTo(5e-4);
    expect(h.clipRange).toBe(0.1);
    await expect(PPO.create({ env: 'CartPole-v1', clipRange: 'lin_x' as never })).rejects.toThrow(
      /clipRange must be a number, "lin_<initial>\[_<final>\]"/,
    );
  });
});

/** A toy algorithm: a uniform random policy over Discrete actions. */
function toyDefinition(name: string, extra: Partial<AlgorithmDefinition> = {}): AlgorithmDefinition {
  return {
    name,
    modelName: `Toy${name}`,
    summary: 'a uniform random policy, for tests',
    schema: [
      { key: 'temperature', kind: 'number', range: { min: 0 }, default: 1, help: 'softmax temperature' },
    ],
    vectorEnvs: false,
    presets: { default: { numEnvs: 1, totalTimesteps: 10, hyperparameters: {} } },
    supports: () => ({ supported: true }),
    create: async () => {
      throw new Error('not used');
    },
    load: async () => {
      throw new Error('not used');
    },
    ...extra,
  };
}

describe('registerAlgorithm', () => {
  it('registers a definition, which lists and looks up like the built-ins', () => {
    registerAlgorithm(toyDefinition('toy'));
    try {
      expect(listAlgorithms().at(-1)?.name).toBe('toy');
      expect(getAlgorithm('Toytoy').name).toBe('toy');
    } finally {
      expect(unregisterAlgorithm('toy')).toBe(true);
    }
    expect(() => getAlgorithm('toy')).toThrow(/unknown algorithm 'toy'/);
  });

  it('refuses bad definitions, naming the problem', () => {
    expect(() => registerAlgorithm(toyDefinition('ppo'))).toThrow(/an algorithm 'ppo' is already registered/);
    expect(() => registerAlgorithm(toyDefinition('Toy_2'))).toThrow(
      /name must be lowercase words joined by '-'/,
    );
    expect(() => registerAlgorithm(toyDefinition('toy', { modelName: 'PPO' }))).toThrow(
      /modelName 'PPO' is already used by 'ppo'/,
    );
    const schema = (s: object) => toyDefinition('toy', { schema: [s as never] });
    expect(() =>
      registerAlgorithm(schema({ key: 'learning_rate', kind: 'number', default: 1, help: 'x x x' })),
    ).toThrow(/schema key must be camelCase/);
    expect(() => registerAlgorithm(schema({ key: 'tau', kind: 'number', default: 1 }))).toThrow(
      /tau needs a help text/,
    );
    expect(() =>
      registerAlgorithm(
        schema({ key: 'tau', kind: 'number', range: { max: 1, maxOpen: true }, default: 1, help: 'x x x' }),
      ),
    ).toThrow(/its defaults fail its own schema: tau must be a finite number < 1, got 1/);
    expect(() =>
      registerAlgorithm(schema({ key: 'gamma', kind: 'boolean', default: true, help: 'x x x' })),
    ).toThrow(/gamma is a boolean here but a number in 'ppo'/);
    expect(listAlgorithms().map((d) => d.name)).not.toContain('toy');
  });
});

describe('create and load through the registry', () => {
  it('VPG and Q-learning train, save and load back by the saved model name', async () => {
    const vpg = await getAlgorithm('vpg').create({ env: 'CartPole-v1', seed: 3, nSteps: 16, trainVIters: 2 });
    await vpg.learn({ totalTimesteps: 16 });
    await vpg.save(join(work, 'vpg'));
    const loadedVpg = await getAlgorithm(vpg.algorithm).load(join(work, 'vpg'));
    expect(loadedVpg.describeHyperparameters()).toEqual(vpg.describeHyperparameters());
    expect(loadedVpg.predict(new Float32Array(4), { deterministic: true })).toEqual(
      vpg.predict(new Float32Array(4), { deterministic: true }),
    );
    vpg.dispose?.();
    loadedVpg.dispose?.();

    const q = await getAlgorithm('q-learning').create({
      env: 'FrozenLake-v1',
      seed: 0,
      learningRate: 'lin_0.5',
    });
    await q.learn({ totalTimesteps: 200 });
    await q.save(join(work, 'q'));
    const loadedQ = await getAlgorithm('QLearning').load(join(work, 'q'));
    expect(loadedQ.describeHyperparameters()).toMatchObject({ learningRate: 'lin_0.5', gamma: 0.99 });
    await expect(getAlgorithm('sarsa').create({ env: 'FrozenLake-v1', numEnvs: 4 })).rejects.toThrow(
      'SARSA trains on one env: numEnvs must be 1, got 4',
    );
  });
});
