import { backendInfo } from '../src/index.js';

/** Whether the native addon loaded; in CI (PROXIMAL_REQUIRE_NATIVE=1) a missing addon fails loudly. */
export function nativeAvailable(): boolean {
  const info = backendInfo();
  if (!info.native.available) {
    if (process.env.PROXIMAL_REQUIRE_NATIVE === '1') {
      throw new Error(`PROXIMAL_REQUIRE_NATIVE=1 but the native addon did not load: ${info.native.reason}`);
    }
    console.warn(`skipping native parity tests: ${info.native.reason}`);
  }
  return info.native.available;
}

/** Max relative error with an absolute floor for values near zero. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor);
    if (e > m) m = e;
  }
  return m;
}
