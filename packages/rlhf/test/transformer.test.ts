import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CausalTransformer, CharTokenizer, initTf, tf } from '../src/index.js';

const tok = new CharTokenizer('0123456789+-=ab');
let model: CausalTransformer;
const dirs: string[] = [];

beforeAll(async () => {
  await initTf('wasm');
  model = new CausalTransformer({
    vocabSize: tok.vocabSize,
    dModel: 32,
    nHeads: 4,
    nLayers: 2,
    maxSeqLen: 24,
    seed: 3,
  });
});

afterAll(() => {
  model.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const prompts = () => [tok.encode('12+34=', { addBos: true }), tok.encode('5+6=', { addBos: true })];

function logSoftmaxAt(row: Float32Array, index: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const x of row) max = Math.max(max, x);
  let z = 0;
  for (const x of row) z += Math.exp(x - max);
  return row[index] - max - Math.log(z);
}

describe('CharTokenizer', () => {
  it('encodes with BOS/EOS, decodes without special tokens, round-trips JSON', () => {
    const ids = tok.encode('1+2', { addBos: true, addEos: true });
    expect(Array.from(ids)).toEqual([1, 4, 13, 5, 2]);
    expect(tok.decode(ids)).toBe('1+2');
    expect(tok.decode(ids, { skipSpecialTokens: false })).toBe('<bos>1+2<eos>');
    expect(CharTokenizer.fromJSON(JSON.parse(JSON.stringify(tok))).vocabSize).toBe(tok.vocabSize);
    expect(() => tok.encode('1*2')).toThrow(/text\[1\] = '\*' is not in the tokenizer's alphabet/);
    expect(() => new CharTokenizer('aa')).toThrow(/repeats the character 'a'/);
  });
});

describe('CausalTransformer', () => {
  it('cached generation equals uncached generation (tokens and logits within 1e-5)', () => {
    for (const sampling of [
      { temperature: 1 },
      { temperature: 0.7, topK: 5, topP: 0.9 },
      { temperature: 0 },
    ]) {
      const o = {
        prompts: prompts(),
        numReturnSequences: 3,
        maxNewTokens: 8,
        seed: 11,
        outputLogits: true,
        ...sampling,
      };
      const a = model.generate(o);
      const b = model.generate({ ...o, useCache: false });
      expect(a.seqLen).toBe(8);
      expect(Array.from(a.completions)).toEqual(Array.from(b.completions));
      const la = a.logits as Float32Array;
      const lb = b.logits as Float32Array;
      expect(la.length).toBe(6 * 8 * tok.vocabSize);
      let maxDiff = 0;
      for (let i = 0; i < la.length; i++) maxDiff = Math.max(maxDiff, Math.abs(la[i] - lb[i]));
      expect(maxDiff).toBeLessThan(1e-5);
    }
  });

  it('log-probs of generated tokens equal the log-softmax of the generation logits', () => {
    const a = model.generate({
      prompts: prompts(),
      numReturnSequences: 2,
      maxNewTokens: 6,
      seed: 5,
      outputLogits: true,
    });
    const lp = model.logProbs(a.prompts, a.completions, a.mask);
    const data = lp.dataSync();
    lp.dispose();
    const V = tok.vocabSize;
    for (let i = 0; i < a.completions.length; i++) {
      const expected = logSoftmaxAt(
        (a.logits as Float32Array).subarray(i * V, (i + 1) * V),
        a.completions[i],
      );
      expect(Math.abs(data[i] - expected)).toBeLessThan(1e-5);
    }
  });

  it('stops at the stop token: mask covers it, pads after, truncated flags the rest', () => {
    // stopToken = the most frequent first token under greedy decoding ends every row after one step
    const greedy = model.generate({ prompts: prompts(), maxNewTokens: 1, temperature: 0, seed: 0 });
    const stop = greedy.completions[0];
    const out = model.generate({
      prompts: prompts(),
      maxNewTokens: 5,
      temperature: 0,
      seed: 0,
      stopToken: stop,
      padToken: 0,
    });
    expect(out.mask[0]).toBe(1);
    expect(out.truncated[0]).toBe(0);
    expect(out.lengths[0]).toBe(1);
    for (let t = 1; t < out.seqLen; t++) {
      expect(out.mask[t]).toBe(0);
      expect(out.completions[t]).toBe(0);
    }
  });

  it('is deterministic under a seed, and different seeds differ', () => {
    const o = { prompts: prompts(), numReturnSequences: 4, maxNewTokens: 8, seed: 21 };
    const a = model.generate(o);
    const b = model.generate(o);
    const c = model.generate({ ...o, seed: 22 });
    expect(Array.from(a.completions)).toEqual(Array.from(b.completions));
    expect(Array.from(a.completions)).not.toEqual(Array.from(c.completions));
    const m2 = new CausalTransformer({ ...model.config });
    expect(Array.from(m2.getFlatParams())).toEqual(Array.from(model.getFlatParams()));
    m2.dispose();
  });

  it('padding and the mask never change the log-probs of completion tokens', () => {
    const p = tok.encode('7+8=', { addBos: true });
    const long = tok.encode('123+456=', { addBos: true });
    const comp = tok.encode('15', { addEos: true });
    // alone, no padding
    const alone = model.logProbs([p], comp, new Uint8Array(3).fill(1)).dataSync();
    // in a batch with a longer prompt (left padding) and a longer completion (right padding), mask
    // partly 0 on other positions
    const L = 6;
    const comps = new Int32Array(2 * L);
    comps.set(comp, 0);
    comps.set(tok.encode('57912'), L);
    comps[L + 5] = 2;
    const mask = new Uint8Array(2 * L);
    mask.fill(1, 0, 3);
    mask.fill(1, L, L + 4);
    const batched = model.logProbs([p, long], comps, mask).dataSync();
    const mask2 = mask.slice();
    mask2[1] = 0;
    const masked = model.logProbs([p, long], comps, mask2).dataSync();
    for (let t = 0; t < 3; t++) {
      expect(Math.abs(batched[t] - alone[t])).toBeLessThan(1e-5);
      if (t !== 1) expect(Math.abs(masked[t] - alone[t])).toBeLessThan(1e-5);
    }
    expect(Math.abs(masked[1])).toBe(0);
    for (let t = 3; t < L; t++) expect(Math.abs(batched[t])).toBe(0);
    expect(tf.memory().numTensors).toBeLessThan(200);
  });

  it('save/load round trip gives identical log-probs; bad files are refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-save-'));
    dirs.push(dir);
    const untied = new CausalTransformer({
      vocabSize: tok.vocabSize,
      dModel: 16,
      nHeads: 2,
      nLayers: 1,
      maxSeqLen: 16,
      tieWordEmbeddings: false,
      valueHead: true,
      seed: 9,
    });
    await untied.save(dir);
    const loaded = await CausalTransformer.load(dir);
    expect(loaded.config).toEqual(untied.config);
    const comp = tok.encode('46', { addEos: true });
    const m = new Uint8Array(3).fill(1);
    const a = untied.evaluate(prompts().slice(0, 1), comp, m, { values: true });
    const b = loaded.evaluate(prompts().slice(0, 1), comp, m, { values: true });
    expect(Array.from(b.logProbs.dataSync())).toEqual(Array.from(a.logProbs.dataSync()));
    expect(Array.from(b.values?.dataSync() ?? [])).toEqual(Array.from(a.values?.dataSync() ?? []));
    tf.dispose([a.logProbs, b.logProbs, a.values as tf.Tensor, b.values as tf.Tensor]);
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(8));
    await expect(CausalTransformer.load(dir)).rejects.toThrow(/weights.bin has 8 bytes, expected numParams/);
    untied.dispose();
    loaded.dispose();
  });

  it('refuses bad arguments with the argument named', () => {
    expect(() => new CausalTransformer({ vocabSize: 10, dModel: 30, nHeads: 4 })).toThrow(
      /nHeads \(4\) must divide dModel \(30\)/,
    );
    expect(() => new CausalTransformer({ vocabSize: 10, dmodel: 32 } as never)).toThrow(
      /unknown option 'dmodel'/,
    );
    expect(() => model.generate({ prompts: prompts(), maxNewTokens: 20, seed: 0 })).toThrow(
      /prompts\[0\] \(7 tokens\) \+ maxNewTokens 20 exceeds maxSeqLen = 24/,
    );
    expect(() => model.generate({ prompts: prompts(), maxNewTokens: 2, seed: 0, topP: 0 })).toThrow(
      /topP must be/,
    );
    expect(() => model.logProbs(prompts(), new Int32Array(3), new Uint8Array(3))).toThrow(/multiple of B/);
    expect(() => model.logProbs(prompts(), new Int32Array([1, 99]), new Uint8Array(2))).toThrow(
      /completions\[1\]/,
    );
  });
});
