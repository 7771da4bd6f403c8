// RLHF end to end on multi-digit addition (@proximal/rlhf): a small causal transformer is trained
// with SFT on "a+b=" → "sum<eos>", then with GRPO on the verifiable accuracy reward (+ a format
// reward); reports held-out pass@1 (greedy) and pass@1 / pass@k (sampled, unbiased estimator of
// Chen et al. 2021) after SFT and after GRPO, and the KL of the GRPO policy to the SFT policy
// (mean per-token log-ratio on its own samples). Not part of `pnpm bench` (it trains for minutes).
// Usage: node rlhf-addition.mjs [--digits 2,3] [--sft-steps 800] [--grpo-steps 60] [--write]
// --write saves results/rlhf-addition.json (only when the run completes).
import { parseArgs } from 'node:util';
import {
  ARITHMETIC_ALPHABET,
  accuracyReward,
  arithmeticTask,
  CausalTransformer,
  CharTokenizer,
  evaluatePassAtK,
  GRPOTrainer,
  initTf,
  integerFormatReward,
  SFTTrainer,
  tf,
} from '@proximal/rlhf';
import { machine, writeResult } from './lib/result.mjs';

const { values } = parseArgs({
  options: {
    digits: { type: 'string', default: '2,3' },
    'num-train': { type: 'string', default: '4000' },
    'num-test': { type: 'string', default: '200' },
    'd-model': { type: 'string', default: '64' },
    'n-layers': { type: 'string', default: '2' },
    'sft-steps': { type: 'string', default: '800' },
    'sft-lr': { type: 'string', default: '2e-3' },
    'sft-batch': { type: 'string', default: '64' },
    'grpo-steps': { type: 'string', default: '60' },
    'grpo-lr': { type: 'string', default: '1e-4' },
    'grpo-batch': { type: 'string', default: '64' },
    'num-generations': { type: 'string', default: '8' },
    beta: { type: 'string', default: '0' },
    'eval-samples': { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    write: { type: 'boolean', default: false },
  },
});
const num = (k) => Number(values[k]);
const digits = values.digits.split(',').map(Number);
const maxLen = Math.max(...digits) + 2; // answer digits (a carry adds one) + EOS

const backend = await initTf();
const tokenizer = new CharTokenizer(ARITHMETIC_ALPHABET);
const { train, test } = arithmeticTask({
  digits,
  ops: ['+'],
  numTrain: num('num-train'),
  numTest: num('num-test'),
  seed: num('seed'),
});
const model = new CausalTransformer({
  vocabSize: tokenizer.vocabSize,
  dModel: num('d-model'),
  nHeads: 4,
  nLayers: num('n-layers'),
  maxSeqLen: 2 * Math.max(...digits) + 3 + maxLen,
  seed: num('seed'),
});

function evaluate(policy, label) {
  const t0 = performance.now();
  const greedy = evaluatePassAtK(policy, tokenizer, test, {
    temperature: 0,
    numSamples: 1,
    maxNewTokens: maxLen,
  });
  const n = num('eval-samples');
  const sampled = evaluatePassAtK(policy, tokenizer, test, {
    temperature: 1,
    numSamples: n,
    k: [1, n],
    maxNewTokens: maxLen,
    seed: 7,
  });
  const row = {
    greedyPassAt1: greedy.passAtK[1],
    sampledPassAt1: sampled.passAtK[1],
    [`sampledPassAt${n}`]: sampled.passAtK[n],
  };
  console.log(`${label}: ${JSON.stringify(row)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return row;
}

/** Mean per-token log π/π_ref on samples of π (an unbiased estimate of KL(π ‖ π_ref) per token). */
function klTo(policy, ref) {
  const out = policy.generate({
    prompts: test.map((p) => tokenizer.encode(p.prompt, { addBos: true })),
    maxNewTokens: maxLen,
    stopToken: tokenizer.eosTokenId,
    seed: 11,
  });
  const [a, b] = [policy, ref].map((m) =>
    tf.tidy(() => m.logProbs(out.prompts, out.completions, out.mask).dataSync()),
  );
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (!out.mask[i]) continue;
    s += a[i] - b[i];
    n++;
  }
  return { perToken: s / n, perSequence: s / out.batchSize };
}

const t0 = performance.now();
const initial = evaluate(model, 'initial');
const sft = new SFTTrainer({
  model,
  tokenizer,
  trainDataset: train.map((p) => ({ prompt: p.prompt, completion: p.answer })),
  args: {
    learningRate: num('sft-lr'),
    batchSize: num('sft-batch'),
    maxSteps: num('sft-steps'),
    seed: num('seed'),
  },
  onLog: (l) => {
    if (l.step % 100 === 0) console.log(`sft step ${l.step}: loss ${l.loss.toFixed(4)}`);
  },
});
sft.train();
const sftSeconds = (performance.now() - t0) / 1000;
const afterSft = evaluate(model, 'after SFT');
const sftModel = model.clone();
const t1 = performance.now();
const grpo = new GRPOTrainer({
  model,
  tokenizer,
  rewardFuncs: [accuracyReward, integerFormatReward],
  trainDataset: train,
  args: {
    learningRate: num('grpo-lr'),
    batchSize: num('grpo-batch'),
    numGenerations: num('num-generations'),
    maxCompletionLength: maxLen,
    beta: num('beta'),
    maxSteps: num('grpo-steps'),
    seed: num('seed'),
  },
  onLog: (l) => {
    if (l.step % 10 === 0) {
      console.log(
        `grpo step ${l.step}: reward ${l.reward.toFixed(3)} accuracy ${l.rewards.accuracy.mean.toFixed(3)} ` +
          `fracRewardZeroStd ${l.fracRewardZeroStd.toFixed(2)} entropy ${l.entropy.toFixed(3)}` +
          (l.kl === null ? '' : ` kl ${l.kl.toFixed(4)}`),
      );
    }
  },
});
grpo.train();
const grpoSeconds = (performance.now() - t1) / 1000;
const afterGrpo = evaluate(model, 'after GRPO');
const kl = klTo(model, sftModel);
console.log(
  `KL(GRPO ‖ SFT): ${kl.perToken.toFixed(4)} nats/token, ${kl.perSequence.toFixed(4)} nats/sequence`,
);
const last = grpo.logHistory.slice(-10);
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
if (values.write) {
  await writeResult('rlhf-addition', {
    machine: machine(),
    complete: true,
    tfBackend: backend,
    config: { ...values, write: undefined, numParams: model.numParams },
    notes:
      'Held-out problems never appear in training. greedyPassAt1: temperature 0; sampled: temperature 1 with the unbiased pass@k estimator. KL: mean log-ratio of the GRPO policy to the SFT policy on the GRPO policy’s own samples of the held-out prompts.',
    results: {
      initial,
      afterSft,
      afterGrpo,
      klGrpoToSft: kl,
      grpoRewardFirst10: mean(grpo.logHistory.slice(0, 10).map((l) => l.reward)),
      grpoRewardLast10: mean(last.map((l) => l.reward)),
      sftSeconds,
      grpoSeconds,
    },
  });
}
