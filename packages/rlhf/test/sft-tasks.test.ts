import { Random } from '@proximal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARITHMETIC_ALPHABET,
  accuracyReward,
  arithmeticTask,
  CausalTransformer,
  CharTokenizer,
  evaluatePassAtK,
  initTf,
  integerFormatReward,
  passAtK,
  SFTTrainer,
  sampleToken,
} from '../src/index.js';

const tok = new CharTokenizer(ARITHMETIC_ALPHABET);
const models: CausalTransformer[] = [];

beforeAll(async () => {
  await initTf('wasm');
});

afterAll(() => {
  for (const m of models) m.dispose();
});

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 0; i < k; i++) r = (r * (n - i)) / (i + 1);
  return r;
}

describe('arithmetic tasks and rewards', () => {
  it('generates distinct, correct problems from a seed, train and test disjoint', () => {
    const a = arithmeticTask({ digits: [2, 3], ops: ['+', '-'], numTrain: 300, numTest: 100, seed: 4 });
    const b = arithmeticTask({ digits: [2, 3], ops: ['+', '-'], numTrain: 300, numTest: 100, seed: 4 });
    expect(a).toEqual(b);
    expect(a.train).toHaveLength(300);
    expect(a.test).toHaveLength(100);
    const train = new Set(a.train.map((p) => p.prompt));
    expect(train.size).toBe(300);
    for (const p of a.test) expect(train.has(p.prompt)).toBe(false);
    for (const p of [...a.train, ...a.test]) {
      const m = /^(\d+)([+-])(\d+)=$/.exec(p.prompt);
      expect(m).not.toBeNull();
      const [, x, op, y] = m as RegExpExecArray;
      expect(x.length === 2 || x.length === 3).toBe(true);
      expect(p.answer).toBe(String(op === '+' ? Number(x) + Number(y) : Number(x) - Number(y)));
    }
    expect(a.train.some((p) => p.answer.startsWith('-'))).toBe(true);
    expect(() => arithmeticTask({ digits: [1], numTrain: 200, numTest: 0 })).toThrow(
      /could only draw 100 distinct problems/,
    );
    expect(() => arithmeticTask({ digit: [2] } as never)).toThrow(/unknown option 'digit'/);
  });

  it('accuracy and format rewards', () => {
    const ctx = {
      prompts: ['1+2=', '1+2=', '1+2='],
      examples: [{ answer: '3' }, { answer: '3' }, { answer: '3' }],
      completionIds: [],
      truncated: [false, true, false],
    };
    expect(accuracyReward(['3', '3', '4'], ctx)).toEqual([1, 1, 0]);
    expect(integerFormatReward(['3', '3', '3=4'], ctx)).toEqual([1, 0, 0]);
  });

  it('pass@k is the unbiased estimator 1 − C(n−c, k)/C(n, k) (Chen et al. 2021)', () => {
    for (const [n, c, k] of [
      [10, 3, 1],
      [10, 3, 5],
      [20, 0, 4],
      [7, 7, 3],
      [12, 2, 11],
    ]) {
      expect(passAtK(n, c, k)).toBeCloseTo(1 - binomial(n - c, k) / binomial(n, k), 12);
    }
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    expect(() => passAtK(5, 6, 1)).toThrow(/c must be an integer in \[0, 5\]/);
    expect(() => passAtK(5, 1, 6)).toThrow(/k must be an integer in \[1, 5\]/);
  });

  it('top-k / top-p sampling only draws from the kept tokens', () => {
    const logits = Float32Array.of(2, 1.9, 0.5, -1, 3);
    const rng = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) seen.add(sampleToken(logits, 1, 2, 1, rng));
    expect([...seen].sort()).toEqual([0, 4]);
    seen.clear();
    // probabilities ≈ [0.204, 0.185, 0.046, 0.010, 0.555]: top-p 0.7 keeps tokens 4 and 0 (0.759 ≥ 0.7),
    // top-p 0.8 needs token 1 too (0.944)
    for (let i = 0; i < 300; i++) seen.add(sampleToken(logits, 1, 0, 0.7, rng));
    expect([...seen].sort()).toEqual([0, 4]);
    seen.clear();
    for (let i = 0; i < 300; i++) seen.add(sampleToken(logits, 1, 0, 0.8, rng));
    expect([...seen].sort()).toEqual([0, 1, 4]);
    expect(sampleToken(logits, 0, 0, 1, rng)).toBe(4);
  });
});

describe('SFTTrainer', () => {
  it('lowers the completion loss on a tiny dataset and then solves it greedily', () => {
    const { train } = arithmeticTask({ digits: [1], numTrain: 12, numTest: 0, seed: 1 });
    const data = train.map((p) => ({ prompt: p.prompt, completion: p.answer }));
    const model = new CausalTransformer({
      vocabSize: tok.vocabSize,
      dModel: 32,
      nHeads: 4,
      nLayers: 1,
      maxSeqLen: 12,
      seed: 0,
    });
    models.push(model);
    const trainer = new SFTTrainer({
      model,
      tokenizer: tok,
      trainDataset: data,
      args: { learningRate: 0.01, batchSize: 12, maxSteps: 60, lrSchedulerType: 'constant', seed: 0 },
    });
    const before = trainer.evaluateLoss(data);
    const last = trainer.train();
    const after = trainer.evaluateLoss(data);
    expect(trainer.logHistory).toHaveLength(60);
    expect(last.numTokens).toBe(data.reduce((s, d) => s + d.completion.length + 1, 0));
    expect(before).toBeGreaterThan(2);
    expect(after).toBeLessThan(0.5 * before);
    expect(trainer.logHistory[59].loss).toBeLessThan(trainer.logHistory[0].loss);
    const greedy = evaluatePassAtK(model, tok, train, { temperature: 0, numSamples: 1, maxNewTokens: 3 });
    expect(greedy.passAtK[1]).toBeGreaterThan(0.5);
  });

  it('uses TRL/HF defaults and refuses unknown options', () => {
    const model = new CausalTransformer({
      vocabSize: tok.vocabSize,
      dModel: 8,
      nHeads: 2,
      nLayers: 1,
      maxSeqLen: 12,
    });
    models.push(model);
    const t = new SFTTrainer({ model, tokenizer: tok, trainDataset: [{ prompt: '1+1=', completion: '2' }] });
    expect(t.args).toMatchObject({
      learningRate: 2e-5,
      numTrainEpochs: 3,
      batchSize: 8,
      maxGradNorm: 1,
      seed: 42,
    });
    expect(t.totalSteps).toBe(3);
    expect(
      () =>
        new SFTTrainer({
          model,
          tokenizer: tok,
          trainDataset: [{ prompt: '1', completion: '2' }],
          args: { lr: 1 } as never,
        }),
    ).toThrow(/unknown option 'lr'/);
  });
});
