/**
 * Seedable pseudo-random number generation.
 *
 * `Random` is a small, fast, splittable generator built on SplitMix64 seeding and the
 * xoshiro128** state transition (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2018). It is deterministic across platforms: the same seed gives the same
 * sequence on every machine and Node version.
 */

/** Anything accepted as a seed: a non-negative safe integer. */
export type Seed = number;

/**
 * The full state of a {@link Random}, as plain JSON: the four 32-bit words of the xoshiro128**
 * state and the cached second normal draw of the polar method (null when none is cached).
 */
export interface RandomState {
  s: [number, number, number, number];
  spareNormal: number | null;
}

function checkSeed(seed: number, name = 'seed'): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${String(seed)}`);
  }
}

/**
 * Deterministic PRNG (xoshiro128**, 128-bit state, period 2^128 − 1).
 *
 * @example
 * const rng = new Random(42);
 * rng.uniform();        // float in [0, 1)
 * rng.integer(6);       // integer in [0, 6)
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  /**
   * @param seed non-negative safe integer; when omitted a seed is drawn from `Math.random`.
   * @throws RangeError when `seed` is negative, fractional or larger than 2^53 − 1.
   */
  constructor(seed?: Seed) {
    this.seed(seed ?? Math.floor(Math.random() * 2 ** 52));
  }

  /** Re-seeds the generator in place (SplitMix64 expansion of the seed into the 128-bit state). */
  seed(seed: Seed): void {
    checkSeed(seed);
    // SplitMix64 on a BigInt-free 64-bit emulation: split the seed into hi/lo 32-bit words.
    let hi = Math.floor(seed / 2 ** 32) >>> 0;
    let lo = seed >>> 0;
    const next = (): number => {
      // state += 0x9E3779B97F4A7C15 (64-bit add)
      const addLo = (lo + 0x7f4a7c15) >>> 0;
      const carry = addLo < lo ? 1 : 0;
      hi = (hi + 0x9e3779b9 + carry) >>> 0;
      lo = addLo;
      // mix with Murmur3-like 32-bit finalizer on both halves (deterministic, well distributed)
      let z = (lo ^ Math.imul(hi, 0x85ebca6b)) >>> 0;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = null;
  }

  /** A copy of the generator's state; {@link setState} with it continues the same sequence. */
  getState(): RandomState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spareNormal };
  }

  /**
   * Restores a state returned by {@link getState} (e.g. from a checkpoint's JSON).
   * @throws RangeError when `state.s` is not four unsigned 32-bit integers, not all zero, or
   *   `state.spareNormal` is neither null nor a finite number.
   */
  setState(state: RandomState): void {
    const s = state?.s;
    if (
      !Array.isArray(s) ||
      s.length !== 4 ||
      !s.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32) ||
      s.every((w) => w === 0)
    ) {
      throw new RangeError(
        `state.s must be four unsigned 32-bit integers, not all 0, got ${JSON.stringify(s)}`,
      );
    }
    const spare = state.spareNormal;
    if (spare !== null && !Number.isFinite(spare)) {
      throw new RangeError(`state.spareNormal must be null or a finite number, got ${String(spare)}`);
    }
    [this.s0, this.s1, this.s2, this.s3] = s;
    this.spareNormal = spare;
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** Uniform float64 in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform float in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /**
   * Uniform integer in [0, n) without modulo bias.
   * @throws RangeError when `n` is not a positive integer ≤ 2^32.
   */
  integer(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) {
      throw new RangeError(`n must be an integer in [1, 2^32], got ${String(n)}`);
    }
    if (n === 1) return 0;
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal draw (Marsaglia polar method), float64. */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * m;
        return u * m;
      }
    }
  }

  /** Fisher–Yates shuffle of `array` in place; returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A permutation of 0..n-1 as an Int32Array. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** A new independent generator seeded from this one (for per-env streams). */
  spawn(): Random {
    return new Random(this.nextUint32() * 2 ** 20 + (this.nextUint32() >>> 12));
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
