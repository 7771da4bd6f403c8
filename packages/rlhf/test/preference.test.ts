import { dpoLoss } from '@proximal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CausalTransformer, CharTokenizer, DPOTrainer, initTf, RewardTrainer, tf } from '../src/index.js';

const tok = new CharTokenizer('ab');
const models: CausalTransformer[] = [];

beforeAll(async () => {
  await initTf('wasm');
});

afterAll(() => {
  for (const m of models) m.dispose();
});

function tiny(seed: number, valueHead = false): CausalTransformer {
  const m = new CausalTransformer({
    vocabSize: tok.vocabSize,
    dModel: 16,
    nHeads: 2,
    nLayers: 1,
    maxSeqLen: 10,
    seed,
    valueHead,
  });
  models.push(m);
  return m;
}

// prefer completions made of 'a' over completions made of 'b'
const pairs = [
  { prompt: 'a', chosen: 'aa', rejected: 'bb' },
  { prompt: 'b', chosen: 'a', rejected: 'b' },
  { prompt: 'ab', chosen: 'aaa', rejected: 'ab' },
  { prompt: 'ba', chosen: 'a', rejected: 'bab' },
];

function sumLogProb(model: CausalTransformer, prompt: string, completion: string): number {
  const c = tok.encode(completion, { addEos: true });
  return tf.tidy(
    () =>
      tf
        .sum(model.logProbs([tok.encode(prompt, { addBos: true })], c, new Uint8Array(c.length).fill(1)))
        .dataSync()[0],
  );
}

describe('DPOTrainer', () => {
  it('precomputes reference log-probs once, and raises the chosen-vs-rejected margin', () => {
    const model = tiny(1);
    const trainer = new DPOTrainer({
      model,
      tokenizer: tok,
      trainDataset: pairs,
      args: {
        learningRate: 0.01,
        batchSize: 4,
        maxSteps: 15,
        beta: 0.1,
        lrSchedulerType: 'constant',
        seed: 0,
      },
    });
    pairs.forEach((p, i) => {
      expect(trainer.refChosenLogProbs[i]).toBeCloseTo(sumLogProb(model, p.prompt, p.chosen), 4);
      expect(trainer.refRejectedLogProbs[i]).toBeCloseTo(sumLogProb(model, p.prompt, p.rejected), 4);
    });
    const first = trainer.step();
    // at the first step the policy is the reference: h = 0, loss = log 2, as core's dpoLoss
    expect(first.loss).toBeCloseTo(Math.log(2), 5);
    expect(first.rewardsMargins).toBeCloseTo(0, 5);
    const last = trainer.train();
    expect(trainer.globalStep).toBe(15);
    expect(last.rewardsAccuracies).toBe(1);
    expect(last.rewardsMargins).toBeGreaterThan(0.1);
    expect(last.loss).toBeLessThan(first.loss);
    // the trainer's loss is core's dpoLoss on the sequence log-probs
    const chosen = Float32Array.from(pairs, (p) => sumLogProb(model, p.prompt, p.chosen));
    const rejected = Float32Array.from(pairs, (p) => sumLogProb(model, p.prompt, p.rejected));
    const r = dpoLoss({
      chosenLogProbs: chosen,
      rejectedLogProbs: rejected,
      refChosenLogProbs: trainer.refChosenLogProbs,
      refRejectedLogProbs: trainer.refRejectedLogProbs,
      beta: 0.1,
    });
    expect(r.rewardAccuracy).toBe(1);
  });

  it('refuses bad options', () => {
    const model = tiny(2);
    expect(() => new DPOTrainer({ model, tokenizer: tok, trainDataset: pairs, args: { beta: 0 } })).toThrow(
      /beta must be/,
    );
    expect(
      () =>
        new DPOTrainer({
          model,
          tokenizer: tok,
          trainDataset: pairs,
          args: { lossType: 'ipo', labelSmoothing: 0.1 },
        }),
    ).toThrow(/labelSmoothing applies to lossType 'sigmoid' only/);
    expect(() => new DPOTrainer({ model, tokenizer: tok, trainDataset: [] })).toThrow(
      /trainDataset must be a non-empty/,
    );
    const t = new DPOTrainer({ model, tokenizer: tok, trainDataset: pairs });
    expect(t.args).toMatchObject({ learningRate: 1e-6, beta: 0.1, lossType: 'sigmoid', labelSmoothing: 0 });
  });
});

describe('RewardTrainer', () => {
  it('learns to score chosen above rejected (Bradley–Terry), margins used when given', () => {
    const model = tiny(3, true);
    const trainer = new RewardTrainer({
      model,
      tokenizer: tok,
      trainDataset: pairs.map((p) => ({ ...p, margin: 0.5 })),
      args: {
        learningRate: 0.01,
        batchSize: 4,
        maxSteps: 25,
        lrSchedulerType: 'constant',
        centerRewardsCoefficient: 0.01,
      },
    });
    const first = trainer.step();
    // initial scores are near 0: loss ≈ −log σ(−0.5) (the margin) = 0.974
    expect(first.loss).toBeGreaterThan(0.8);
    const last = trainer.train();
    expect(last.loss).toBeLessThan(first.loss);
    expect(last.accuracy).toBe(1);
    const chosen = trainer.score(
      pairs.map((p) => p.prompt),
      pairs.map((p) => p.chosen),
    );
    const rejected = trainer.score(
      pairs.map((p) => p.prompt),
      pairs.map((p) => p.rejected),
    );
    for (let i = 0; i < pairs.length; i++) expect(chosen[i]).toBeGreaterThan(rejected[i]);
  });

  it('needs a model with a value head', () => {
    expect(() => new RewardTrainer({ model: tiny(4), tokenizer: tok, trainDataset: pairs })).toThrow(
      /no value head/,
    );
    const t = new RewardTrainer({ model: tiny(5, true), tokenizer: tok, trainDataset: pairs });
    expect(t.args.learningRate).toBe(1e-4);
    expect(t.args.centerRewardsCoefficient).toBeNull();
  });
});
