/**
 * Refusal of unknown option keys, shared by every algorithm's `create`/`load` and by nested option
 * objects (`policyKwargs`, `normalize`, `policyKwargs.netArch`).
 *
 * Source: Proximal. The suggestions follow the naming rule of the project: Stable-Baselines3's
 * snake_case names become camelCase (`learning_rate` → `learningRate`).
 */

/** `learning_rate` → `learningRate`, `n_steps` → `nSteps` (SB3 snake_case to camelCase). */
export function snakeToCamel(key: string): string {
  return key.replace(/_+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}

/**
 * Levenshtein edit distance (insertions, deletions, substitutions), case-insensitive, stopping
 * early once every entry of a row exceeds `max` (then returns `max + 1`).
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[t.length];
}

/**
 * The known key an unknown `key` most likely meant: its camelCase form when that is known (SB3
 * names), else the closest known key within edit distance 2 (case-insensitive), else null.
 */
export function suggestKey(key: string, known: readonly string[]): string | null {
  const camel = snakeToCamel(key);
  if (camel !== key && known.includes(camel)) return camel;
  let best: string | null = null;
  let bestD = 3;
  for (const k of known) {
    const d = Math.min(editDistance(key, k, 2), editDistance(camel, k, 2));
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/**
 * Throws unless every own key of `options` whose value is not `undefined` is in `known`.
 * @param options the user's options object (anything else is left to the caller's type checks).
 * @param known the accepted keys.
 * @param where what the object is, for the message (e.g. `'PPO options'`, `'policyKwargs'`).
 * @throws RangeError `"<where>: unknown option '<key>' (did you mean '<suggestion>'?); known options: …"`
 *   for the first unknown key.
 */
export function checkKnownKeys(options: unknown, known: readonly string[], where: string): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return;
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || known.includes(key)) continue;
    const hint = suggestKey(key, known);
    throw new RangeError(
      `${where}: unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; known options: ${[...known].sort().join(', ')}`,
    );
  }
}
