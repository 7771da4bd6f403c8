import { grpoLoss, Random } from '@proximal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CausalTransformer, CharTokenizer, GRPOTrainer, initTf, kernelLoss, tf } from '../src/index.js';

/**
 * The gradient that crosses from core's fused grpoLoss into tfjs (tf.customGrad in kernelLoss),
 * through the whole transformer, against central finite differences of the same loss.
 */

const tok = new CharTokenizer('ab');
let model: CausalTransformer;

beforeAll(async () => {
  await initTf('cpu');
  model = new CausalTransformer({
    vocabSize: tok.vocabSize,
    dModel: 8,
    nHeads: 2,
    nLayers: 1,
    dFF: 16,
    maxSeqLen: 8,
    seed: 1,
  });
});

afterAll(() => model.dispose());

describe('kernelLoss (tf.customGrad bridge)', () => {
  it('∂grpoLoss/∂params through the transformer matches finite differences', () => {
    const prompts = [Int32Array.of(1, 3), Int32Array.of(1, 4, 3), Int32Array.of(1), Int32Array.of(1, 4)];
    const L = 3;
    const completions = Int32Array.of(3, 4, 2, 4, 4, 0, 3, 2, 0, 4, 3, 3);
    const mask = Uint8Array.of(1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1);
    const B = 4;
    const rng = new Random(7);
    const base = model.logProbs(prompts, completions, mask).dataSync() as Float32Array;
    // ratios within the clip range (no kink nearby), a KL term to a perturbed reference
    const oldLogProbs = base.map((x) => x + 0.05 * (rng.uniform() - 0.5));
    const refLogProbs = base.map((x) => x + 0.3 * (rng.uniform() - 0.5));
    const advantages = Float32Array.of(1.2, -0.7, 0.4, -0.9);
    const lossOf = (logProbs: Float32Array) => {
      const r = grpoLoss({
        logProbs,
        oldLogProbs,
        refLogProbs,
        advantages,
        mask,
        numSequences: B,
        seqLen: L,
        lossType: 'grpo',
        epsilon: 0.2,
        beta: 0.1,
      });
      return { ...r, grad: r.gradLogProbs };
    };
    const vars = model.trainableVariables;
    const grads = tf.tidy(() => {
      const { grads: g } = tf.variableGrads(
        () => kernelLoss(model.logProbs(prompts, completions, mask, { temperature: 0.9 }), lossOf),
        vars,
      );
      return tf.concat(vars.map((v) => (g[v.name] ? tf.reshape(g[v.name], [-1]) : tf.zeros([v.size]))));
    });
    const analytic = grads.dataSync() as Float32Array;
    grads.dispose();
    const params = model.getFlatParams();
    const loss = (p: Float32Array) => {
      model.setFlatParams(p);
      const lp = tf.tidy(() => model.logProbs(prompts, completions, mask, { temperature: 0.9 }).dataSync());
      return lossOf(lp as Float32Array).loss;
    };
    // the 12 largest gradient entries and 4 random ones
    const order = Array.from(analytic.keys()).sort((i, j) => Math.abs(analytic[j]) - Math.abs(analytic[i]));
    const picks = [...order.slice(0, 12), ...Array.from({ length: 4 }, () => rng.integer(params.length))];
    const maxAbs = Math.abs(analytic[order[0]]);
    expect(maxAbs).toBeGreaterThan(1e-3);
    const h = 2e-3;
    for (const i of picks) {
      const p = params.slice();
      p[i] = params[i] + h;
      const up = loss(p);
      p[i] = params[i] - h;
      const down = loss(p);
      const fd = (up - down) / (2 * h);
      expect(Math.abs(fd - analytic[i])).toBeLessThan(0.02 * maxAbs + 1e-4);
    }
    model.setFlatParams(params);
  });

  it('a group whose rewards all tie has zero advantage: with beta = 0 the policy does not move', () => {
    const before = model.getFlatParams();
    const trainer = new GRPOTrainer({
      model,
      tokenizer: tok,
      rewardFuncs: (completions) => completions.map(() => 1),
      trainDataset: [{ prompt: 'a' }, { prompt: 'b' }],
      args: {
        numGenerations: 4,
        batchSize: 8,
        maxCompletionLength: 4,
        learningRate: 0.1,
        maxSteps: 2,
        seed: 3,
      },
    });
    const log = trainer.step();
    expect(log.fracRewardZeroStd).toBe(1);
    expect(log.gradNorm).toBe(0);
    expect(log.kl).toBeNull();
    expect(Array.from(model.getFlatParams())).toEqual(Array.from(before));
    trainer.dispose();
  });
});
