import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** JSON form of a {@link CharTokenizer} (`tokenizer.json`). */
export interface CharTokenizerJSON {
  format: 'proximal-char-tokenizer';
  version: 1;
  alphabet: string;
}

/**
 * A character-level tokenizer over a fixed alphabet. Ids: 0 = PAD, 1 = BOS, 2 = EOS, then one id per
 * character of `alphabet` in order (id 3 + index). Special tokens have no text form.
 */
export class CharTokenizer {
  /** The characters, in id order (each once). */
  readonly alphabet: string;
  readonly padTokenId = 0;
  readonly bosTokenId = 1;
  readonly eosTokenId = 2;
  /** 3 + alphabet length. */
  readonly vocabSize: number;
  private readonly chars: string[];
  private readonly ids = new Map<string, number>();

  /**
   * @param alphabet the characters the tokenizer knows, e.g. `'0123456789+-='`.
   * @throws RangeError when `alphabet` is empty or repeats a character; TypeError when it is not a string.
   */
  constructor(alphabet: string) {
    if (typeof alphabet !== 'string')
      throw new TypeError(`alphabet must be a string, got ${typeof alphabet}`);
    this.chars = Array.from(alphabet);
    if (this.chars.length === 0) throw new RangeError('alphabet must not be empty');
    this.chars.forEach((c, i) => {
      if (this.ids.has(c)) throw new RangeError(`alphabet repeats the character '${c}' (at index ${i})`);
      this.ids.set(c, 3 + i);
    });
    this.alphabet = alphabet;
    this.vocabSize = 3 + this.chars.length;
  }

  /**
   * Token ids of `text`, one per character; with `addBos` (default false) BOS first, with `addEos`
   * (default false) EOS last.
   * @throws RangeError naming the first character outside the alphabet and its index.
   */
  encode(text: string, options: { addBos?: boolean; addEos?: boolean } = {}): Int32Array {
    const chars = Array.from(text);
    const out = new Int32Array(chars.length + (options.addBos ? 1 : 0) + (options.addEos ? 1 : 0));
    let o = 0;
    if (options.addBos) out[o++] = this.bosTokenId;
    chars.forEach((c, i) => {
      const id = this.ids.get(c);
      if (id === undefined) throw new RangeError(`text[${i}] = '${c}' is not in the tokenizer's alphabet`);
      out[o++] = id;
    });
    if (options.addEos) out[o] = this.eosTokenId;
    return out;
  }

  /**
   * The text of `ids`: special tokens are skipped (default) or written as `<pad>`, `<bos>`, `<eos>`.
   * @throws RangeError for an id outside [0, vocabSize).
   */
  decode(ids: ArrayLike<number>, options: { skipSpecialTokens?: boolean } = {}): string {
    const skip = options.skipSpecialTokens ?? true;
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new RangeError(`ids[${i}] must be an integer in [0, ${this.vocabSize}), got ${id}`);
      }
      if (id >= 3) s += this.chars[id - 3];
      else if (!skip) s += ['<pad>', '<bos>', '<eos>'][id];
    }
    return s;
  }

  toJSON(): CharTokenizerJSON {
    return { format: 'proximal-char-tokenizer', version: 1, alphabet: this.alphabet };
  }

  /** @throws TypeError when `json` is not a {@link CharTokenizerJSON}. */
  static fromJSON(json: unknown): CharTokenizer {
    const j = json as Partial<CharTokenizerJSON> | null;
    if (j?.format !== 'proximal-char-tokenizer' || j.version !== 1 || typeof j.alphabet !== 'string') {
      throw new TypeError("not a tokenizer JSON (expected format 'proximal-char-tokenizer', version 1)");
    }
    return new CharTokenizer(j.alphabet);
  }

  /** Writes `dir/tokenizer.json` (creating `dir`). */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'tokenizer.json'), `${JSON.stringify(this.toJSON())}\n`);
  }

  /** Reads `dir/tokenizer.json`. */
  static async load(dir: string): Promise<CharTokenizer> {
    return CharTokenizer.fromJSON(JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8')));
  }
}
