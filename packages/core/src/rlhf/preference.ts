import {
  checkChoice,
  checkKeys,
  checkLength,
  checkNumberInRange,
  checkObject,
  checkTyped,
} from '../internal/checks.js';

/** log σ(x), stable for large |x|. */
function logSigmoid(x: number): number {
  return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
}

/** σ(x), stable for large |x|. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// ---------------------------------------------------------------------------------------------
// DPO

/** DPO loss variants (TRL's `loss_type`). */
export type DpoLossType = 'sigmoid' | 'hinge' | 'ipo';

const DPO_TYPES: readonly DpoLossType[] = ['sigmoid', 'hinge', 'ipo'];

/** Inputs of {@link dpoLoss}; every array is one value per preference pair, [B]. */
export interface DpoLossArgs {
  /** Σ_t log π_θ(y_w,t) of each chosen completion (summed over its tokens), float32 [B]. */
  chosenLogProbs: Float32Array;
  /** Σ_t log π_θ(y_l,t) of each rejected completion, float32 [B]. */
  rejectedLogProbs: Float32Array;
  /** The same sums under the frozen reference policy, float32 [B]. */
  refChosenLogProbs: Float32Array;
  /** float32 [B]. */
  refRejectedLogProbs: Float32Array;
  /** β > 0, the inverse temperature of the implicit reward. Default 0.1 (TRL). */
  beta?: number;
  /** `'sigmoid'` (default, DPO), `'hinge'` (SLiC) or `'ipo'` (IPO). */
  lossType?: DpoLossType;
  /** cDPO label smoothing in [0, 0.5] (the probability that a label is flipped); `'sigmoid'` only. Default 0. */
  labelSmoothing?: number;
  /**
   * Token counts of the chosen / rejected completions, Int32Array [B] of values ≥ 1: required with
   * `'ipo'` (TRL averages the log-probs over the completion tokens for IPO), refused otherwise.
   */
  chosenLengths?: Int32Array;
  /** See `chosenLengths`. */
  rejectedLengths?: Int32Array;
}

/** Outputs of {@link dpoLoss}. */
export interface DpoLossResult {
  /** Mean loss over the B pairs. */
  loss: number;
  /** ∂loss/∂chosenLogProbs, float32 [B]. */
  gradChosenLogProbs: Float32Array;
  /** ∂loss/∂rejectedLogProbs, float32 [B]. */
  gradRejectedLogProbs: Float32Array;
  /** β·(logp − ref) of the chosen completions (length-averaged log-probs for 'ipo'), float32 [B]. */
  chosenRewards: Float32Array;
  /** β·(logp − ref) of the rejected completions, float32 [B]. */
  rejectedRewards: Float32Array;
  /** Mean of chosenRewards > rejectedRewards (TRL's `rewards/accuracies`). */
  rewardAccuracy: number;
  /** Mean of chosenRewards − rejectedRewards (TRL's `rewards/margins`). */
  rewardMargin: number;
}

const DPO_KEYS = [
  'chosenLogProbs',
  'rejectedLogProbs',
  'refChosenLogProbs',
  'refRejectedLogProbs',
  'beta',
  'lossType',
  'labelSmoothing',
  'chosenLengths',
  'rejectedLengths',
] as const;

function checkPairs(names: readonly string[], a: Record<string, unknown>): number {
  const first = checkTyped<Float32Array>(names[0], a[names[0]], Float32Array);
  const n = first.length;
  if (n === 0) throw new RangeError(`${names[0]} must not be empty`);
  for (const name of names.slice(1)) {
    checkLength(name, checkTyped(name, a[name], Float32Array), n, `${names[0]}.length`);
  }
  return n;
}

/**
 * Direct Preference Optimization losses on sequence log-probs, as TRL's `DPOTrainer.dpo_loss`:
 * ```
 * h = (logπ(y_w) − logπ(y_l)) − (logπ_ref(y_w) − logπ_ref(y_l))
 * 'sigmoid': −(1 − ls)·log σ(β h) − ls·log σ(−β h)      (Rafailov et al. 2023; cDPO smoothing)
 * 'hinge':   relu(1 − β h)                                (SLiC, Zhao et al. 2023)
 * 'ipo':     (h − 1/(2β))²  with every log-prob divided by its completion's token count
 *                                                         (Azar et al. 2023; TRL's length averaging)
 * rewards = β·(logπ − logπ_ref) (per completion; detached)
 * ```
 * The loss is the mean over the B pairs; the gradient is that of the mean (relu's at 0 is 0, as torch).
 *
 * @returns mean loss, gradients w.r.t. the chosen and rejected log-probs [B], implicit rewards [B],
 *   reward accuracy and margin.
 * @throws TypeError for a wrong dtype, an unknown option, or lengths missing with 'ipo' / given
 *   without it; RangeError for empty or mismatched arrays, β not finite and > 0, labelSmoothing
 *   outside [0, 0.5] or nonzero with 'hinge'/'ipo', an unknown lossType, or a length < 1.
 */
export function dpoLoss(args: DpoLossArgs): DpoLossResult {
  const a = checkObject('dpoLoss arguments', args) as unknown as DpoLossArgs;
  checkKeys('dpoLoss', a, DPO_KEYS);
  const n = checkPairs(
    ['chosenLogProbs', 'rejectedLogProbs', 'refChosenLogProbs', 'refRejectedLogProbs'],
    a as unknown as Record<string, unknown>,
  );
  const beta = a.beta ?? 0.1;
  if (typeof beta !== 'number' || !Number.isFinite(beta) || !(beta > 0)) {
    throw new RangeError(`beta must be a finite number > 0, got ${String(beta)}`);
  }
  const lossType = checkChoice('lossType', a.lossType ?? 'sigmoid', DPO_TYPES);
  const ls = checkNumberInRange('labelSmoothing', a.labelSmoothing ?? 0, 0, 0.5);
  if (ls !== 0 && lossType !== 'sigmoid') {
    throw new RangeError(`labelSmoothing applies to lossType 'sigmoid' only, got ${ls} with '${lossType}'`);
  }
  let cLen: Int32Array | undefined;
  let rLen: Int32Array | undefined;
  if (lossType === 'ipo') {
    for (const name of ['chosenLengths', 'rejectedLengths'] as const) {
      if (a[name] === undefined)
        throw new TypeError(`${name} is required with lossType 'ipo' (Int32Array [B])`);
      const len = checkTyped<Int32Array>(name, a[name], Int32Array);
      checkLength(name, len, n, 'chosenLogProbs.length');
      for (let i = 0; i < n; i++) {
        if (len[i] < 1) throw new RangeError(`${name}[${i}] must be ≥ 1, got ${len[i]}`);
      }
    }
    cLen = a.chosenLengths;
    rLen = a.rejectedLengths;
  } else if (a.chosenLengths !== undefined || a.rejectedLengths !== undefined) {
    throw new TypeError(`chosenLengths/rejectedLengths apply to lossType 'ipo' only (got '${lossType}')`);
  }
  const gradChosen = new Float32Array(n);
  const gradRejected = new Float32Array(n);
  const chosenRewards = new Float32Array(n);
  const rejectedRewards = new Float32Array(n);
  let lossSum = 0;
  let correct = 0;
  let marginSum = 0;
  for (let i = 0; i < n; i++) {
    const cs = cLen ? cLen[i] : 1;
    const rs = rLen ? rLen[i] : 1;
    const pc = a.chosenLogProbs[i] / cs;
    const pr = a.rejectedLogProbs[i] / rs;
    const qc = a.refChosenLogProbs[i] / cs;
    const qr = a.refRejectedLogProbs[i] / rs;
    const h = pc - pr - (qc - qr);
    let loss: number;
    let dh: number; // ∂loss_i/∂h
    if (lossType === 'sigmoid') {
      const z = beta * h;
      loss = -(1 - ls) * logSigmoid(z) - ls * logSigmoid(-z);
      // d/dz[−log σ(z)] = −σ(−z),  d/dz[−log σ(−z)] = σ(z)
      dh = beta * (-(1 - ls) * sigmoid(-z) + ls * sigmoid(z));
    } else if (lossType === 'hinge') {
      const u = 1 - beta * h;
      loss = Math.max(u, 0);
      dh = u > 0 ? -beta : 0;
    } else {
      const u = h - 1 / (2 * beta);
      loss = u * u;
      dh = 2 * u;
    }
    lossSum += loss;
    gradChosen[i] = dh / (n * cs);
    gradRejected[i] = -dh / (n * rs);
    const rc = beta * (pc - qc);
    const rr = beta * (pr - qr);
    chosenRewards[i] = rc;
    rejectedRewards[i] = rr;
    if (rc > rr) correct++;
    marginSum += rc - rr;
  }
  return {
    loss: lossSum / n,
    gradChosenLogProbs: gradChosen,
    gradRejectedLogProbs: gradRejected,
    chosenRewards,
    rejectedRewards,
    rewardAccuracy: correct / n,
    rewardMargin: marginSum / n,
  };
}

// ---------------------------------------------------------------------------------------------
// Reward model (Bradley–Terry)

/** Inputs of {@link bradleyTerryLoss}; one value per preference pair, [B]. */
export interface BradleyTerryLossArgs {
  /** Reward-model scores r_c of the chosen completions, float32 [B]. */
  rewardsChosen: Float32Array;
  /** Scores r_r of the rejected completions, float32 [B]. */
  rewardsRejected: Float32Array;
  /** Per-pair margin m (Llama 2's preference-strength margin), float32 [B]; default none (0). */
  margin?: Float32Array;
  /** Coefficient c of the centring penalty c·mean((r_c + r_r)²) (Eisenstein et al. 2023); default none. */
  centerRewardsCoefficient?: number;
}

/** Outputs of {@link bradleyTerryLoss}. */
export interface BradleyTerryLossResult {
  loss: number;
  /** ∂loss/∂rewardsChosen, float32 [B]. */
  gradRewardsChosen: Float32Array;
  /** ∂loss/∂rewardsRejected, float32 [B]. */
  gradRewardsRejected: Float32Array;
  /** Mean of r_c > r_r. */
  accuracy: number;
}

const BT_KEYS = ['rewardsChosen', 'rewardsRejected', 'margin', 'centerRewardsCoefficient'] as const;

/**
 * The Bradley–Terry reward-model loss of TRL's `RewardTrainer.compute_loss` (Ouyang et al. 2022, eq. 1;
 * margin from Touvron et al. 2023; centring from Eisenstein et al. 2023):
 * ```
 * loss = mean_i −log σ(r_c,i − r_r,i − m_i) + c · mean_i (r_c,i + r_r,i)²
 * ```
 * @returns the loss, its gradients w.r.t. both reward arrays [B] and the accuracy mean(r_c > r_r).
 * @throws TypeError for a wrong dtype or an unknown option; RangeError for empty or mismatched
 *   arrays or a centerRewardsCoefficient that is not a finite number ≥ 0.
 */
export function bradleyTerryLoss(args: BradleyTerryLossArgs): BradleyTerryLossResult {
  const a = checkObject('bradleyTerryLoss arguments', args) as unknown as BradleyTerryLossArgs;
  checkKeys('bradleyTerryLoss', a, BT_KEYS);
  const names = ['rewardsChosen', 'rewardsRejected', ...(a.margin !== undefined ? ['margin'] : [])];
  const n = checkPairs(names, a as unknown as Record<string, unknown>);
  const coef =
    a.centerRewardsCoefficient === undefined
      ? 0
      : checkNumberInRange('centerRewardsCoefficient', a.centerRewardsCoefficient, 0, Number.MAX_VALUE);
  const gc = new Float32Array(n);
  const gr = new Float32Array(n);
  let lossSum = 0;
  let centreSum = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const rc = a.rewardsChosen[i];
    const rr = a.rewardsRejected[i];
    const z = rc - rr - (a.margin ? a.margin[i] : 0);
    lossSum -= logSigmoid(z);
    const s = rc + rr;
    centreSum += s * s;
    const dz = -sigmoid(-z) / n;
    const dc = (2 * coef * s) / n;
    gc[i] = dz + dc;
    gr[i] = -dz + dc;
    if (rc > rr) correct++;
  }
  return {
    loss: lossSum / n + coef * (centreSum / n),
    gradRewardsChosen: gc,
    gradRewardsRejected: gr,
    accuracy: correct / n,
  };
}
