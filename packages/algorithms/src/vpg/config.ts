import { onPolicySpecs } from '../common/hyperparameters.js';
import type { Schedule } from '../common/schedules.js';
import {
  defaultsOf,
  deserializeHyperparameters,
  type HyperparameterSchema,
  resolveHyperparameters,
  serializeHyperparameters,
} from '../common/schema.js';
import type { PolicyKwargs } from '../policies/actor-critic.js';
import { ADVANTAGE_ESTIMATORS, type AdvantageEstimator } from './advantages.js';

/**
 * VPG hyperparameters: Stable-Baselines3's names (camelCase) where SB3 has the concept, OpenAI
 * Spinning Up's `vpg` argument names (camelCase) otherwise. Sources of the defaults are given per
 * entry; "Spinning Up" is `spinup.algos.pytorch.vpg.vpg` and its `core.MLPActorCritic`.
 */
export interface VpgHyperparameters {
  /**
   * Adam step size of the policy (Spinning Up's `pi_lr`), constant or a schedule of the remaining
   * progress. Default 3e-4 (Spinning Up).
   */
  learningRate: Schedule;
  /**
   * Adam step size of the value function (Spinning Up's `vf_lr`), constant or a schedule.
   * Default 1e-3 (Spinning Up).
   */
  vfLearningRate: Schedule;
  /**
   * Steps per env per rollout; nSteps × numEnvs is Spinning Up's `steps_per_epoch`. Default 4000
   * (Spinning Up, with one env).
   */
  nSteps: number;
  /**
   * Rows per value-function gradient step. Default: nSteps × numEnvs, the whole rollout (Spinning
   * Up's full-batch value regression); {@link VPG_DEFAULTS} lists 4000, its value for the default
   * nSteps and one env. The policy step always uses the whole rollout.
   */
  batchSize: number;
  /** Adam steps of the value-function regression per rollout (Spinning Up's `train_v_iters`). Default 80. */
  trainVIters: number;
  /** Discount γ. Default 0.99 (Spinning Up, SB3). */
  gamma: number;
  /** λ of GAE, used by `advantageEstimator: 'gae'` (Spinning Up's `lam`). Default 0.97 (Spinning Up). */
  gaeLambda: number;
  /**
   * Ψ_t, the weight of ∇ log π(a_t | s_t) in the policy gradient (Schulman et al. 2016, eq. 1;
   * see {@link vpgAdvantages} for the exact formulas): 'totalReturn' (R(τ), the discounted return
   * of the whole episode, at every step), 'rewardToGo' (Σ_{t'≥t} γ^{t'−t} r_{t'}),
   * 'rewardToGoBaseline' (reward-to-go − V(s_t)) or 'gae' (GAE(γ, λ)). Default 'gae' (Spinning Up).
   */
  advantageEstimator: AdvantageEstimator;
  /**
   * Normalize Ψ over the whole rollout to mean 0 and standard deviation 1 before the policy step.
   * Default true (Spinning Up's `VPGBuffer.get` always does; set false for textbook REINFORCE,
   * since the mean subtraction acts as a constant baseline).
   */
  normalizeAdvantage: boolean;
  /** Generalized State-Dependent Exploration for Box action spaces (as PPO; Raffin et al. 2021). Default false. */
  useSde: boolean;
  /** With gSDE, a new noise matrix every this many steps (≤ 0: once per rollout). Default −1 (SB3). */
  sdeSampleFreq: number;
  /**
   * Network shape and initialization. Default Spinning Up's `MLPActorCritic`: separate policy and
   * value MLPs with hidden sizes [64, 64] and tanh, PyTorch's default `nn.Linear` initialization
   * (`orthoInit: false`) and, for Gaussian policies, initial log-std −0.5.
   */
  policyKwargs: PolicyKwargs;
}

/**
 * VPG's hyperparameter schema (Spinning Up's `vpg` defaults; see {@link VpgHyperparameters} for
 * the source of each): validation, defaults, saved configs and CLI flags come from it.
 */
export const VPG_SCHEMA: HyperparameterSchema = [
  onPolicySpecs.learningRate(3e-4, "Adam step size of the policy (Spinning Up's pi_lr)"),
  {
    key: 'vfLearningRate',
    kind: 'number',
    schedule: true,
    range: { min: 0, minOpen: true },
    default: 1e-3,
    help: "Adam step size of the value function (Spinning Up's vf_lr); a number or a schedule",
  },
  onPolicySpecs.nSteps(4000, "steps per env per rollout (nSteps × numEnvs: Spinning Up's steps_per_epoch)"),
  onPolicySpecs.batchSize(
    4000,
    'rows per value-function step (default: the whole rollout, nSteps × numEnvs)',
    {
      resolveDefault: (ctx) => (ctx.hyperparameters.nSteps as number) * ctx.numEnvs,
    },
  ),
  {
    key: 'trainVIters',
    kind: 'integer',
    range: { min: 1 },
    default: 80,
    help: "value-function Adam steps per rollout (Spinning Up's train_v_iters)",
  },
  onPolicySpecs.gamma(0.99),
  onPolicySpecs.gaeLambda(0.97, "GAE λ, for advantageEstimator 'gae' (Spinning Up's lam)"),
  {
    key: 'advantageEstimator',
    kind: 'choice',
    choices: ADVANTAGE_ESTIMATORS,
    default: 'gae',
    help: 'Ψ_t of the policy gradient: R(τ), reward-to-go, reward-to-go − V(s), or GAE(γ, λ)',
  },
  onPolicySpecs.normalizeAdvantage(true, 'normalize Ψ over the rollout (false: textbook REINFORCE)'),
  onPolicySpecs.useSde(false),
  onPolicySpecs.sdeSampleFreq(-1),
  onPolicySpecs.policyKwargs({ netArch: [64, 64], activationFn: 'tanh', orthoInit: false, logStdInit: -0.5 }),
];

/** Spinning Up's `vpg` defaults (from {@link VPG_SCHEMA}; `batchSize` is its value for one env). */
export const VPG_DEFAULTS: VpgHyperparameters = defaultsOf<VpgHyperparameters>(VPG_SCHEMA);

/**
 * Merges user hyperparameters over {@link VPG_DEFAULTS} and validates every one of them against
 * {@link VPG_SCHEMA} before anything is allocated: `batchSize` defaults to nSteps × numEnvs when
 * not given; the on-policy entries (learningRate, nSteps, batchSize ≤ nSteps × numEnvs, gamma,
 * gaeLambda, normalizeAdvantage, useSde, sdeSampleFreq, policyKwargs), `vfLearningRate` (a
 * schedule > 0), `trainVIters` (positive integer) and `advantageEstimator`.
 * @param numEnvs the number of envs (bounds batchSize and the rollout size).
 * @throws RangeError/TypeError naming the first invalid hyperparameter with its expected range and value.
 */
export function resolveVpgHyperparameters(
  user: Partial<VpgHyperparameters>,
  numEnvs: number,
): VpgHyperparameters {
  return resolveHyperparameters<VpgHyperparameters>(VPG_SCHEMA, user, { numEnvs });
}

/** JSON form of the hyperparameters (schedules as numbers or "lin_x"). */
export function serializeVpgHyperparameters(h: VpgHyperparameters): Record<string, unknown> {
  return serializeHyperparameters(VPG_SCHEMA, h);
}

/** Inverse of {@link serializeVpgHyperparameters}. */
export function deserializeVpgHyperparameters(json: Record<string, unknown>): Partial<VpgHyperparameters> {
  return deserializeHyperparameters(VPG_SCHEMA, json) as Partial<VpgHyperparameters>;
}
