import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Random } from '@proximal/core';
import { checkBool, checkInt, checkNum, checkOptions } from './checks.js';
import type {
  EvaluateOptions,
  GenerateOptions,
  GenerateOutput,
  PromptIds,
  SequenceEvaluation,
  SequencePolicy,
} from './policy.js';
import { sampleToken } from './sampling.js';
import { tf } from './tf.js';

/** Configuration of a {@link CausalTransformer} (GPT-2's architecture, Radford et al. 2019). */
export interface CausalTransformerConfig {
  /** Number of token ids (e.g. a tokenizer's `vocabSize`); an integer ≥ 2. */
  vocabSize: number;
  /** Width of the residual stream. Default 64. */
  dModel?: number;
  /** Attention heads; must divide dModel. Default 4. */
  nHeads?: number;
  /** Transformer blocks. Default 2. */
  nLayers?: number;
  /** Hidden width of each block's MLP. Default 4·dModel. */
  dFF?: number;
  /** Number of position embeddings: the longest prompt + completion. Default 64. */
  maxSeqLen?: number;
  /** Share the token embedding with the output head (GPT-2; HF's `tie_word_embeddings`). Default true. */
  tieWordEmbeddings?: boolean;
  /** Add a scalar value head on the final hidden state (for PPO-style training). Default false. */
  valueHead?: boolean;
  /** ε of every LayerNorm (HF GPT-2's `layer_norm_epsilon`). Default 1e-5. */
  layerNormEpsilon?: number;
  /** Std of the normal initialization (HF GPT-2's `initializer_range`). Default 0.02. */
  initializerRange?: number;
  /** Seed of the initialization (core's `Random`). Default 0. */
  seed?: number;
}

const CONFIG_KEYS = [
  'vocabSize',
  'dModel',
  'nHeads',
  'nLayers',
  'dFF',
  'maxSeqLen',
  'tieWordEmbeddings',
  'valueHead',
  'layerNormEpsilon',
  'initializerRange',
  'seed',
];

const GENERATE_KEYS = [
  'prompts',
  'numReturnSequences',
  'maxNewTokens',
  'temperature',
  'topK',
  'topP',
  'stopToken',
  'padToken',
  'seed',
  'useCache',
  'outputLogits',
];

/** The saved `config.json` of a {@link CausalTransformer}. */
export interface CausalTransformerJSON {
  format: 'proximal-causal-transformer';
  version: 1;
  config: Required<CausalTransformerConfig>;
}

const NEG = -1e9;

interface Block {
  ln1g: tf.Variable;
  ln1b: tf.Variable;
  wQkv: tf.Variable;
  bQkv: tf.Variable;
  wO: tf.Variable;
  bO: tf.Variable;
  ln2g: tf.Variable;
  ln2b: tf.Variable;
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
  b2: tf.Variable;
}

interface KV {
  k: tf.Tensor4D;
  v: tf.Tensor4D;
}

function resolveConfig(raw: CausalTransformerConfig): Required<CausalTransformerConfig> {
  checkOptions('CausalTransformer config', raw, CONFIG_KEYS);
  const vocabSize = checkInt('vocabSize', raw.vocabSize, 2);
  const dModel = checkInt('dModel', raw.dModel ?? 64, 1);
  const nHeads = checkInt('nHeads', raw.nHeads ?? 4, 1);
  if (dModel % nHeads !== 0) throw new RangeError(`nHeads (${nHeads}) must divide dModel (${dModel})`);
  return {
    vocabSize,
    dModel,
    nHeads,
    nLayers: checkInt('nLayers', raw.nLayers ?? 2, 1),
    dFF: checkInt('dFF', raw.dFF ?? 4 * dModel, 1),
    maxSeqLen: checkInt('maxSeqLen', raw.maxSeqLen ?? 64, 2),
    tieWordEmbeddings: checkBool('tieWordEmbeddings', raw.tieWordEmbeddings ?? true),
    valueHead: checkBool('valueHead', raw.valueHead ?? false),
    layerNormEpsilon: checkNum('layerNormEpsilon', raw.layerNormEpsilon ?? 1e-5, 0, 1, true),
    initializerRange: checkNum('initializerRange', raw.initializerRange ?? 0.02, 0, 10),
    seed: checkInt('seed', raw.seed ?? 0, 0),
  };
}

/** Attention bias [B, 1, Tq, Tk]: query i (absolute position Tk − Tq + i) sees key j ≤ it with valid[b, j] = 1. */
function attentionBias(valid: Uint8Array, B: number, Tq: number, Tk: number): tf.Tensor4D {
  const bias = new Float32Array(B * Tq * Tk);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Tq; i++) {
      const q = Tk - Tq + i;
      const row = (b * Tq + i) * Tk;
      for (let j = 0; j < Tk; j++) bias[row + j] = j <= q && valid[b * Tk + j] ? 0 : NEG;
    }
  }
  return tf.tensor4d(bias, [B, 1, Tq, Tk]);
}

/** Columns [from, to) of a [B, stride] row-major buffer. */
function columns<T extends Int32Array | Uint8Array>(
  src: T,
  B: number,
  stride: number,
  from: number,
  to: number,
): T {
  const w = to - from;
  const out = new (src.constructor as new (n: number) => T)(B * w);
  for (let b = 0; b < B; b++) out.set(src.subarray(b * stride + from, b * stride + to), b * w);
  return out;
}

function checkPrompts(prompts: unknown, vocabSize: number): PromptIds[] {
  if (!Array.isArray(prompts) || prompts.length === 0) {
    throw new TypeError('prompts must be a non-empty array of token-id arrays');
  }
  prompts.forEach((p, i) => {
    if (p === null || typeof p !== 'object' || typeof (p as ArrayLike<number>).length !== 'number') {
      throw new TypeError(`prompts[${i}] must be an array of token ids`);
    }
    const a = p as ArrayLike<number>;
    if (a.length === 0) throw new RangeError(`prompts[${i}] must hold at least one token`);
    for (let t = 0; t < a.length; t++) {
      if (!Number.isInteger(a[t]) || a[t] < 0 || a[t] >= vocabSize) {
        throw new RangeError(`prompts[${i}][${t}] must be a token id in [0, ${vocabSize}), got ${a[t]}`);
      }
    }
  });
  return prompts as PromptIds[];
}

/**
 * A small decoder-only transformer in TensorFlow.js, GPT-2's architecture (Radford et al. 2019; HF
 * `GPT2LMHeadModel`): token + learned position embeddings, `nLayers` pre-LayerNorm blocks
 * `x += Attn(LN(x)); x += MLP(LN(x))` with multi-head causal self-attention and a GELU (tanh
 * approximation) MLP, a final LayerNorm and a head tied to the token embedding (or untied), plus an
 * optional value head. Weights are initialized N(0, initializerRange²), the residual output
 * projections scaled by 1/√(2·nLayers) (GPT-2), biases 0, LayerNorms (1, 0), from core's seeded `Random`.
 *
 * Prompts are left-padded and completions follow them; position ids count only real tokens and
 * attention never sees padding, so a row's outputs do not depend on the other rows or on padding.
 * `generate` keeps a key/value cache per layer (`useCache: false` recomputes the whole sequence).
 */
export class CausalTransformer implements SequencePolicy {
  readonly config: Readonly<Required<CausalTransformerConfig>>;
  readonly trainableVariables: tf.Variable[] = [];
  readonly numParams: number;
  private readonly wte: tf.Variable;
  private readonly wpe: tf.Variable;
  private readonly blocks: Block[] = [];
  private readonly lnfG: tf.Variable;
  private readonly lnfB: tf.Variable;
  private readonly head: tf.Variable | null = null;
  private readonly valueW: tf.Variable | null = null;
  private readonly valueB: tf.Variable | null = null;

  /** @throws TypeError for an unknown config key; RangeError for a value outside its range. */
  constructor(config: CausalTransformerConfig) {
    const c = resolveConfig(config);
    this.config = Object.freeze(c);
    const rng = new Random(c.seed);
    const std = c.initializerRange;
    const normal = (shape: number[], s: number) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = s * rng.normal();
      return this.variable(tf.tensor(data, shape));
    };
    const fill = (shape: number[], value: number) => this.variable(tf.fill(shape, value));
    const d = c.dModel;
    const residualStd = std / Math.sqrt(2 * c.nLayers);
    this.wte = normal([c.vocabSize, d], std);
    this.wpe = normal([c.maxSeqLen, d], std);
    for (let l = 0; l < c.nLayers; l++) {
      this.blocks.push({
        ln1g: fill([d], 1),
        ln1b: fill([d], 0),
        wQkv: normal([d, 3 * d], std),
        bQkv: fill([3 * d], 0),
        wO: normal([d, d], residualStd),
        bO: fill([d], 0),
        ln2g: fill([d], 1),
        ln2b: fill([d], 0),
        w1: normal([d, c.dFF], std),
        b1: fill([c.dFF], 0),
        w2: normal([c.dFF, d], residualStd),
        b2: fill([d], 0),
      });
    }
    this.lnfG = fill([d], 1);
    this.lnfB = fill([d], 0);
    if (!c.tieWordEmbeddings) this.head = normal([d, c.vocabSize], std);
    if (c.valueHead) {
      this.valueW = normal([d, 1], std);
      this.valueB = fill([1], 0);
    }
    this.numParams = this.trainableVariables.reduce((s, v) => s + v.size, 0);
  }

  get vocabSize(): number {
    return this.config.vocabSize;
  }

  get maxSeqLen(): number {
    return this.config.maxSeqLen;
  }

  private variable(init: tf.Tensor): tf.Variable {
    const v = tf.variable(init, true);
    init.dispose();
    this.trainableVariables.push(v);
    return v;
  }

  private layerNorm(x: tf.Tensor, g: tf.Variable, b: tf.Variable): tf.Tensor {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(
      tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.config.layerNormEpsilon))), g),
      b,
    );
  }

  /**
   * Runs the blocks on Tq new tokens (ids, positions int32 [B·Tq]) after `past` keys/values
   * (Tk − Tq of them); `bias` [B, 1, Tq, Tk]. Returns the final-LayerNorm hidden states [B, Tq, d]
   * and every layer's keys/values [B, H, Tk, dh].
   */
  private forward(
    ids: Int32Array,
    positions: Int32Array,
    bias: tf.Tensor4D,
    B: number,
    Tq: number,
    past: KV[] | null,
  ): { hidden: tf.Tensor3D; kv: KV[] } {
    const { dModel: d, nHeads: H, vocabSize: V, maxSeqLen } = this.config;
    const dh = d / H;
    const N = B * Tq;
    const tok = tf.matMul(tf.cast(tf.oneHot(tf.tensor1d(ids, 'int32'), V), 'float32'), this.wte);
    const pos = tf.matMul(
      tf.cast(tf.oneHot(tf.tensor1d(positions, 'int32'), maxSeqLen), 'float32'),
      this.wpe,
    );
    let x: tf.Tensor = tf.add(tok, pos); // [N, d]
    const heads = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [B, Tq, H, dh]), [0, 2, 1, 3]) as tf.Tensor4D;
    const kv: KV[] = [];
    const scale = 1 / Math.sqrt(dh);
    this.blocks.forEach((blk, l) => {
      const h = this.layerNorm(x, blk.ln1g, blk.ln1b);
      const qkv = tf.add(tf.matMul(h, blk.wQkv), blk.bQkv);
      const [q, k0, v0] = tf.split(qkv, 3, 1);
      let k = heads(k0);
      let v = heads(v0);
      if (past) {
        k = tf.concat([past[l].k, k], 2);
        v = tf.concat([past[l].v, v], 2);
      }
      kv.push({ k, v });
      const scores = tf.add(tf.mul(tf.matMul(heads(q), k, false, true), scale), bias);
      const att = tf.matMul(tf.softmax(scores), v); // [B, H, Tq, dh]
      const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [N, d]);
      x = tf.add(x, tf.add(tf.matMul(merged, blk.wO), blk.bO));
      const h2 = this.layerNorm(x, blk.ln2g, blk.ln2b);
      const u = tf.add(tf.matMul(h2, blk.w1), blk.b1);
      // GELU, tanh approximation (GPT-2's gelu_new)
      const gelu = tf.mul(
        tf.mul(u, 0.5),
        tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(u, tf.mul(0.044715, tf.pow(u, 3)))))),
      );
      x = tf.add(x, tf.add(tf.matMul(gelu, blk.w2), blk.b2));
    });
    const hidden = tf.reshape(this.layerNorm(x, this.lnfG, this.lnfB), [B, Tq, d]) as tf.Tensor3D;
    return { hidden, kv };
  }

  /** Logits [N, V] of hidden states [N, d]. */
  private logitsOf(h: tf.Tensor2D): tf.Tensor2D {
    return this.head ? tf.matMul(h, this.head) : tf.matMul(h, this.wte, false, true);
  }

  /**
   * See {@link SequencePolicy.evaluate}. Shapes: prompts B arrays of token ids; completions int32
   * [B, L]; mask uint8 [B, L]; outputs float32 [B, L].
   * @throws TypeError/RangeError for malformed prompts, lengths that do not match B·L, token ids
   *   outside [0, vocabSize), a mask value other than 0/1, a prompt + completion longer than
   *   maxSeqLen, a temperature ≤ 0, `values` without a value head, or an unknown option.
   */
  evaluate(
    prompts: readonly PromptIds[],
    completions: Int32Array,
    mask: Uint8Array,
    options: EvaluateOptions = {},
  ): SequenceEvaluation {
    checkOptions('evaluate options', options, ['temperature', 'entropy', 'values']);
    const temperature = checkNum('temperature', options.temperature ?? 1, 0, Number.MAX_VALUE, true);
    const wantEntropy = checkBool('entropy', options.entropy ?? false);
    const wantValues = checkBool('values', options.values ?? false);
    if (wantValues && !this.valueW)
      throw new TypeError('values: this model has no value head (valueHead: false)');
    const { vocabSize: V, maxSeqLen, dModel: d } = this.config;
    const ps = checkPrompts(prompts, V);
    const B = ps.length;
    if (!(completions instanceof Int32Array)) throw new TypeError('completions must be an Int32Array [B, L]');
    if (!(mask instanceof Uint8Array)) throw new TypeError('mask must be a Uint8Array [B, L]');
    if (completions.length === 0 || completions.length % B !== 0) {
      throw new RangeError(
        `completions has length ${completions.length}, expected a positive multiple of B = prompts.length = ${B}`,
      );
    }
    const L = completions.length / B;
    if (mask.length !== completions.length) {
      throw new RangeError(
        `mask has length ${mask.length}, expected completions.length = ${completions.length}`,
      );
    }
    for (let i = 0; i < completions.length; i++) {
      if (completions[i] < 0 || completions[i] >= V) {
        throw new RangeError(`completions[${i}] must be a token id in [0, ${V}), got ${completions[i]}`);
      }
      if (mask[i] > 1) throw new RangeError(`mask[${i}] must be 0 or 1, got ${mask[i]}`);
    }
    let P = 0;
    ps.forEach((p, b) => {
      if (p.length + L > maxSeqLen) {
        throw new RangeError(
          `prompts[${b}] (${p.length} tokens) + completion length ${L} exceeds maxSeqLen = ${maxSeqLen}`,
        );
      }
      P = Math.max(P, p.length);
    });
    const T = P + L - 1; // the last completion token is never an input
    const ids = new Int32Array(B * T);
    const valid = new Uint8Array(B * T);
    const positions = new Int32Array(B * T);
    ps.forEach((p, b) => {
      const off = b * T + P - p.length;
      for (let i = 0; i < p.length; i++) {
        ids[off + i] = p[i];
        valid[off + i] = 1;
        positions[off + i] = i;
      }
      for (let t = 0; t < L - 1; t++) {
        ids[b * T + P + t] = completions[b * L + t];
        valid[b * T + P + t] = 1;
        positions[b * T + P + t] = p.length + t;
      }
    });
    return tf.tidy(() => {
      const bias = attentionBias(valid, B, T, T);
      const { hidden } = this.forward(ids, positions, bias, B, T, null);
      const h = tf.reshape(tf.slice(hidden, [0, P - 1, 0], [B, L, d]), [B * L, d]) as tf.Tensor2D;
      let logits: tf.Tensor = this.logitsOf(h);
      if (temperature !== 1) logits = tf.div(logits, temperature);
      const logp = tf.logSoftmax(logits); // [B·L, V]
      const m = tf.tensor2d(mask, [B, L], 'float32');
      const onehot = tf.cast(tf.oneHot(tf.tensor1d(completions, 'int32'), V), 'float32');
      const out: SequenceEvaluation = {
        logProbs: tf.mul(tf.reshape(tf.sum(tf.mul(logp, onehot), -1), [B, L]), m) as tf.Tensor2D,
      };
      if (wantEntropy) {
        const ent = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), -1));
        out.entropy = tf.mul(tf.reshape(ent, [B, L]), m) as tf.Tensor2D;
      }
      if (wantValues && this.valueW && this.valueB) {
        const v = tf.add(tf.matMul(h, this.valueW), this.valueB);
        out.values = tf.mul(tf.reshape(v, [B, L]), m) as tf.Tensor2D;
      }
      return out as unknown as tf.TensorContainer;
    }) as unknown as SequenceEvaluation;
  }

  /** `evaluate(prompts, completions, mask, options).logProbs`: float32 [B, L], 0 where mask = 0. */
  logProbs(
    prompts: readonly PromptIds[],
    completions: Int32Array,
    mask: Uint8Array,
    options: { temperature?: number } = {},
  ): tf.Tensor2D {
    checkOptions('logProbs options', options, ['temperature']);
    return this.evaluate(prompts, completions, mask, options).logProbs;
  }

  /**
   * Seeded sampling, see {@link GenerateOptions}: each of the B = prompts × numReturnSequences rows
   * is extended one token at a time (float64 sampling in JavaScript from core's `Random(seed)`, rows
   * in order) until it emits `stopToken` or reaches maxNewTokens; L = the number of steps taken.
   * @throws TypeError for an unknown option or malformed prompts; RangeError for a value outside its
   *   range (numReturnSequences, maxNewTokens ≥ 1; temperature ≥ 0; topK ≥ 0; topP in (0, 1]; token
   *   ids in [0, vocabSize); prompt length + maxNewTokens ≤ maxSeqLen).
   */
  generate(options: GenerateOptions): GenerateOutput {
    checkOptions('generate options', options, GENERATE_KEYS);
    const { vocabSize: V, maxSeqLen } = this.config;
    const base = checkPrompts(options.prompts, V);
    const n = checkInt('numReturnSequences', options.numReturnSequences ?? 1, 1);
    const maxNew = checkInt('maxNewTokens', options.maxNewTokens, 1);
    const temperature = checkNum('temperature', options.temperature ?? 1, 0, Number.MAX_VALUE);
    const topK = checkInt('topK', options.topK ?? 0, 0);
    const topP = checkNum('topP', options.topP ?? 1, 0, 1, true);
    const stop = options.stopToken === undefined ? -1 : checkInt('stopToken', options.stopToken, 0, V - 1);
    const pad = checkInt('padToken', options.padToken ?? 0, 0, V - 1);
    const seed = checkInt('seed', options.seed, 0);
    const useCache = checkBool('useCache', options.useCache ?? true);
    const outputLogits = checkBool('outputLogits', options.outputLogits ?? false);
    const prompts: PromptIds[] = [];
    for (const p of base) for (let r = 0; r < n; r++) prompts.push(p);
    const B = prompts.length;
    let P = 0;
    base.forEach((p, i) => {
      if (p.length + maxNew > maxSeqLen) {
        throw new RangeError(
          `prompts[${i}] (${p.length} tokens) + maxNewTokens ${maxNew} exceeds maxSeqLen = ${maxSeqLen}`,
        );
      }
      P = Math.max(P, p.length);
    });
    const S = P + maxNew; // buffer stride
    const ids = new Int32Array(B * S);
    const valid = new Uint8Array(B * S);
    const positions = new Int32Array(B * S);
    prompts.forEach((p, b) => {
      const off = b * S + P - p.length;
      for (let i = 0; i < p.length; i++) {
        ids[off + i] = p[i];
        valid[off + i] = 1;
        positions[off + i] = i;
      }
    });
    const rng = new Random(seed);
    const completions = new Int32Array(B * maxNew).fill(pad);
    const mask = new Uint8Array(B * maxNew);
    const truncated = new Uint8Array(B).fill(1);
    const done = new Uint8Array(B);
    const logitsSteps: Float32Array[] = [];
    let cache: KV[] | null = null;
    // logits [B, V] of the next token after the first `end` buffer columns
    const nextLogits = (end: number): Float32Array => {
      const from = useCache && cache ? end - 1 : 0;
      const Tq = end - from;
      const out = tf.tidy(() => {
        const bias = attentionBias(columns(valid, B, S, 0, end), B, Tq, end);
        const { hidden, kv } = this.forward(
          columns(ids, B, S, from, end),
          columns(positions, B, S, from, end),
          bias,
          B,
          Tq,
          useCache ? cache : null,
        );
        const last = tf.reshape(tf.slice(hidden, [0, Tq - 1, 0], [B, 1, this.config.dModel]), [
          B,
          this.config.dModel,
        ]);
        return {
          logits: this.logitsOf(last as tf.Tensor2D),
          kv: useCache ? kv : [],
        } as unknown as tf.TensorContainer;
      }) as unknown as { logits: tf.Tensor2D; kv: KV[] };
      const data = out.logits.dataSync() as Float32Array;
      out.logits.dispose();
      if (cache) for (const c of cache) tf.dispose([c.k, c.v]);
      cache = useCache ? out.kv : null;
      return data;
    };
    let steps = 0;
    try {
      let logits = nextLogits(P);
      for (let s = 0; s < maxNew; s++) {
        if (outputLogits) logitsSteps.push(logits);
        for (let b = 0; b < B; b++) {
          if (done[b]) continue;
          const tok = sampleToken(logits.subarray(b * V, (b + 1) * V), temperature, topK, topP, rng);
          completions[b * maxNew + s] = tok;
          mask[b * maxNew + s] = 1;
          if (tok === stop) {
            done[b] = 1;
            truncated[b] = 0;
          }
        }
        steps = s + 1;
        if (s === maxNew - 1 || done.every((x) => x === 1)) break;
        for (let b = 0; b < B; b++) {
          const i = b * S + P + s;
          ids[i] = completions[b * maxNew + s];
          valid[i] = 1;
          positions[i] = prompts[b].length + s;
        }
        logits = nextLogits(P + s + 1);
      }
    } finally {
      if (cache) for (const c of cache as KV[]) tf.dispose([c.k, c.v]);
    }
    const L = steps;
    const outIds = columns(completions, B, maxNew, 0, L);
    const outMask = columns(mask, B, maxNew, 0, L);
    const lengths = new Int32Array(B);
    for (let b = 0; b < B; b++) for (let t = 0; t < L; t++) lengths[b] += outMask[b * L + t];
    const result: GenerateOutput = {
      completions: outIds,
      mask: outMask,
      lengths,
      truncated,
      batchSize: B,
      seqLen: L,
      prompts,
    };
    if (outputLogits) {
      const all = new Float32Array(B * L * V);
      logitsSteps.forEach((step, s) => {
        for (let b = 0; b < B; b++) all.set(step.subarray(b * V, (b + 1) * V), (b * L + s) * V);
      });
      result.logits = all;
    }
    return result;
  }

  getFlatParams(): Float32Array {
    const out = new Float32Array(this.numParams);
    let o = 0;
    for (const v of this.trainableVariables) {
      out.set(v.dataSync() as Float32Array, o);
      o += v.size;
    }
    return out;
  }

  setFlatParams(params: Float32Array): void {
    if (!(params instanceof Float32Array) || params.length !== this.numParams) {
      throw new RangeError(
        `params must be a Float32Array of length numParams = ${this.numParams}, got ${params?.length ?? typeof params}`,
      );
    }
    let o = 0;
    for (const v of this.trainableVariables) {
      tf.tidy(() => v.assign(tf.tensor(params.slice(o, o + v.size), v.shape)));
      o += v.size;
    }
  }

  clone(): CausalTransformer {
    const copy = new CausalTransformer(this.config);
    copy.setFlatParams(this.getFlatParams());
    return copy;
  }

  toJSON(): CausalTransformerJSON {
    return { format: 'proximal-causal-transformer', version: 1, config: { ...this.config } };
  }

  /** Writes `dir/config.json` and `dir/weights.bin` (float32 little-endian, {@link getFlatParams} order). */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), `${JSON.stringify(this.toJSON(), null, 2)}\n`);
    const params = this.getFlatParams();
    const bytes = new Uint8Array(params.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < params.length; i++) view.setFloat32(i * 4, params[i], true);
    await writeFile(join(dir, 'weights.bin'), bytes);
  }

  /**
   * Reads a model written by {@link save}.
   * @throws TypeError when `config.json` is not a saved CausalTransformer; RangeError when
   *   `weights.bin` does not hold numParams float32 values.
   */
  static async load(dir: string): Promise<CausalTransformer> {
    const json = JSON.parse(
      await readFile(join(dir, 'config.json'), 'utf8'),
    ) as Partial<CausalTransformerJSON>;
    if (json?.format !== 'proximal-causal-transformer' || json.version !== 1 || !json.config) {
      throw new TypeError(`${join(dir, 'config.json')} is not a saved CausalTransformer (format, version 1)`);
    }
    const model = new CausalTransformer(json.config);
    const bytes = await readFile(join(dir, 'weights.bin'));
    if (bytes.length !== model.numParams * 4) {
      model.dispose();
      throw new RangeError(
        `${join(dir, 'weights.bin')} has ${bytes.length} bytes, expected numParams · 4 = ${model.numParams * 4}`,
      );
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const params = new Float32Array(model.numParams);
    for (let i = 0; i < params.length; i++) params[i] = view.getFloat32(i * 4, true);
    model.setFlatParams(params);
    return model;
  }

  dispose(): void {
    for (const v of this.trainableVariables) v.dispose();
  }
}
