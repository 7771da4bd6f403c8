/**
 * Helpers shared by the MuJoCo envs: the initial-state noise of Gymnasium's `reset_model`s.
 *
 * Source: Gymnasium 1.x `gymnasium/envs/mujoco/*_v5.py` (`reset_model`: `init_qpos +
 * np_random.uniform(-s, s, size)` and `init_qvel + s · np_random.standard_normal(size)`).
 */
import type { Random } from '@proximal/core';

/** `base + U(−scale, scale)` per element (a new float64 array). */
export function addUniform(base: Float64Array, rng: Random, scale: number): Float64Array {
  const out = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) out[i] = base[i] + rng.uniformRange(-scale, scale);
  return out;
}

/** `base + scale · N(0, 1)` per element (a new float64 array). */
export function addNormal(base: Float64Array, rng: Random, scale: number): Float64Array {
  const out = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) out[i] = base[i] + scale * rng.normal();
  return out;
}

/** Copies `src[from..]` into `out` at `at`, each value clipped to ±`bound` (NaN stays NaN). */
export function writeClipped(
  out: Float32Array,
  at: number,
  src: Float64Array,
  from: number,
  bound: number,
): void {
  for (let i = from; i < src.length; i++) {
    const v = src[i];
    out[at + i - from] = Math.min(bound, Math.max(v, -bound));
  }
}

/** Whether `lo < v < hi` (strict, as Gymnasium's healthy checks). */
export function inside(v: number, range: readonly [number, number]): boolean {
  return range[0] < v && v < range[1];
}
