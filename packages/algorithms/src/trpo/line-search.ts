/** Outcome of {@link backtrackingLineSearch}. */
export interface LineSearchResult {
  accepted: boolean;
  /** Step fraction αⁱ of the accepted candidate (0 when rejected). */
  fraction: number;
  /** Candidates evaluated. */
  tries: number;
  kl: number;
  surrogate: number;
}

/**
 * TRPO's backtracking line search (Schulman et al. 2015, appendix C; sb3-contrib's defaults): tries
 * the step fractions 1, α, α², … (at most `maxIter`) and accepts the first candidate whose mean
 * KL(π_old ‖ π_new) ≤ `targetKl` and whose surrogate exceeds `oldSurrogate`. `evaluate(fraction)`
 * returns the candidate's surrogate and KL.
 * @throws RangeError for a shrink factor outside (0, 1) or a non-positive maxIter.
 */
export function backtrackingLineSearch(
  evaluate: (fraction: number) => { surrogate: number; kl: number },
  {
    oldSurrogate,
    targetKl,
    shrink,
    maxIter,
  }: { oldSurrogate: number; targetKl: number; shrink: number; maxIter: number },
): LineSearchResult {
  if (!(shrink > 0 && shrink < 1)) throw new RangeError(`shrink must be in (0, 1), got ${shrink}`);
  if (!Number.isInteger(maxIter) || maxIter < 1)
    throw new RangeError(`maxIter must be a positive integer, got ${maxIter}`);
  let fraction = 1;
  for (let i = 0; i < maxIter; i++) {
    const r = evaluate(fraction);
    if (r.kl <= targetKl && r.surrogate > oldSurrogate) {
      return { accepted: true, fraction, tries: i + 1, kl: r.kl, surrogate: r.surrogate };
    }
    fraction *= shrink;
  }
  return { accepted: false, fraction: 0, tries: maxIter, kl: 0, surrogate: oldSurrogate };
}
