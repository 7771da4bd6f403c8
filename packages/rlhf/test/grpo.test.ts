import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CausalTransformer, CharTokenizer, GRPOTrainer, initTf, type RewardFunc, tf } from '../src/index.js';

const tok = new CharTokenizer('ab');
const models: CausalTransformer[] = [];

beforeAll(async () => {
  await initTf('wasm');
});

afterAll(() => {
  for (const m of models) m.dispose();
});

function tiny(seed = 0): CausalTransformer {
  const m = new CausalTransformer({
    vocabSize: tok.vocabSize,
    dModel: 16,
    nHeads: 2,
    nLayers: 1,
    maxSeqLen: 8,
    seed,
  });
  models.push(m);
  return m;
}

/** P(first completion token = 'a' | prompt), from the model's log-probs. */
function probFirstA(model: CausalTransformer, prompt: string): number {
  const lp = tf.tidy(() =>
    model.logProbs([tok.encode(prompt, { addBos: true })], tok.encode('a'), Uint8Array.of(1)).dataSync(),
  );
  return Math.exp(lp[0]);
}

const firstIsA: RewardFunc<{ prompt: string }> = (completions) =>
  completions.map((c) => (c.startsWith('a') ? 1 : 0));
firstIsA.rewardName = 'firstIsA';
const dataset = [{ prompt: 'a' }, { prompt: 'b' }, { prompt: 'ab' }, { prompt: 'ba' }];

describe('GRPOTrainer', () => {
  it("raises the reward on a toy task (reward 1 when the completion starts with 'a')", () => {
    const model = tiny(1);
    const before = probFirstA(model, 'ab');
    const logs: number[] = [];
    const trainer = new GRPOTrainer({
      model,
      tokenizer: tok,
      rewardFuncs: firstIsA,
      trainDataset: dataset,
      args: {
        numGenerations: 8,
        batchSize: 16,
        maxCompletionLength: 3,
        learningRate: 0.03,
        maxSteps: 12,
        seed: 5,
      },
      onLog: (l) => logs.push(l.reward),
    });
    const last = trainer.train();
    expect(trainer.globalStep).toBe(12);
    expect(logs).toHaveLength(12);
    const after = probFirstA(model, 'ab');
    expect(after).toBeGreaterThan(before + 0.3);
    const early = (logs[0] + logs[1] + logs[2]) / 3;
    const late = (logs[9] + logs[10] + logs[11]) / 3;
    expect(late).toBeGreaterThan(early + 0.2);
    expect(last.rewards.firstIsA.mean).toBe(last.reward);
    expect(last.kl).toBeNull();
    expect(last.entropy).toBeGreaterThan(0);
    expect(last.completionsMaxLength).toBeLessThanOrEqual(3);
    expect(last.clipRatioRegion).toBe(0); // numIterations 1: ratio 1, nothing clipped
    trainer.dispose();
  });

  it('with beta > 0 keeps a frozen reference: KL starts at 0 and grows; the reference never moves', () => {
    const model = tiny(2);
    const trainer = new GRPOTrainer({
      model,
      tokenizer: tok,
      rewardFuncs: [firstIsA, (c) => c.map((s) => s.length / 3)],
      trainDataset: dataset,
      args: {
        numGenerations: 4,
        batchSize: 8,
        maxCompletionLength: 3,
        learningRate: 0.05,
        beta: 0.04,
        lossType: 'grpo',
        rewardWeights: [1, 0.5],
        seed: 1,
      },
    });
    const ref = trainer.refModel as CausalTransformer;
    expect(ref).not.toBe(model);
    const refParams = ref.getFlatParams();
    const first = trainer.step();
    expect(first.kl).toBeCloseTo(0, 6);
    trainer.step();
    const third = trainer.step();
    expect(third.kl).toBeGreaterThan(1e-6);
    expect(Object.keys(third.rewards)).toEqual(['firstIsA', 'reward1']);
    expect(Array.from(ref.getFlatParams())).toEqual(Array.from(refParams));
    trainer.dispose();
  });

  it('numIterations > 1 takes that many updates per generated batch, with ratios away from 1', () => {
    const model = tiny(5);
    const trainer = new GRPOTrainer({
      model,
      tokenizer: tok,
      rewardFuncs: firstIsA,
      trainDataset: dataset,
      args: {
        numGenerations: 8,
        batchSize: 16,
        maxCompletionLength: 3,
        learningRate: 0.2,
        numIterations: 3,
        maxSteps: 6,
        seed: 4,
      },
    });
    trainer.step();
    expect(trainer.globalStep).toBe(3);
    const logs = [trainer.logHistory[0], trainer.step()];
    expect(trainer.globalStep).toBe(6);
    expect(trainer.totalSteps).toBe(6);
    // the third update of a batch sees the policy moved by two updates: some tokens are clipped
    expect(Math.max(...logs.map((l) => l.clipRatioRegion))).toBeGreaterThan(0);
  });

  it('maskTruncatedCompletions removes truncated completions from the loss', () => {
    const run = (maskTruncatedCompletions: boolean) => {
      const model = tiny(3);
      const before = model.getFlatParams();
      const trainer = new GRPOTrainer({
        model,
        tokenizer: tok,
        rewardFuncs: (c) => c.map((s) => (s === 'a' ? 1 : s === 'b' ? 0.5 : 0)),
        trainDataset: dataset,
        args: {
          numGenerations: 8,
          batchSize: 8,
          maxCompletionLength: 1,
          learningRate: 0.1,
          maskTruncatedCompletions,
          seed: 2,
        },
      });
      const log = trainer.step([{ prompt: 'a' }]);
      const after = model.getFlatParams();
      return { log, moved: after.some((x, i) => x !== before[i]) };
    };
    const on = run(true);
    const off = run(false);
    // same batch (same seed and weights); a step of 1 token truncates every non-EOS completion
    expect(on.log.reward).toBe(off.log.reward);
    expect(off.log.completionsClippedRatio).toBeGreaterThan(0);
    expect(off.log.fracRewardZeroStd).toBe(0);
    expect(off.moved).toBe(true);
    expect(on.log.gradNorm).not.toBe(off.log.gradNorm);
    if (on.log.completionsClippedRatio === 1) expect(on.moved).toBe(false);
  });

  it('refuses bad options with the option named', () => {
    const model = tiny(4);
    const base = { model, tokenizer: tok, rewardFuncs: firstIsA, trainDataset: dataset };
    expect(() => new GRPOTrainer({ ...base, args: { batchSize: 12 } })).toThrow(
      /batchSize \(12\) must be a multiple of numGenerations \(8\)/,
    );
    expect(() => new GRPOTrainer({ ...base, args: { lossType: 'ppo' as never } })).toThrow(
      /lossType must be one of/,
    );
    expect(() => new GRPOTrainer({ ...base, args: { numGeneration: 4 } as never })).toThrow(
      /unknown option 'numGeneration'/,
    );
    expect(() => new GRPOTrainer({ ...base, args: { rewardWeights: [1, 2] } })).toThrow(
      /one weight per reward function \(1\)/,
    );
    expect(() => new GRPOTrainer({ ...base, refModel: model })).toThrow(
      /refModel is only used with beta > 0/,
    );
    const t = new GRPOTrainer({ ...base, args: {} });
    expect(t.args.beta).toBe(0);
    expect(t.args.lossType).toBe('dapo');
    expect(t.args.epsilonHigh).toBe(0.2);
    expect(t.args.learningRate).toBe(1e-6);
    expect(t.args.scaleRewards).toBe('group');
    expect(t.refModel).toBeNull();
  });
});
