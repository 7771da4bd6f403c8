/**
 * `TabularEnv`: the shared plumbing of the finite-MDP ("toy text") environments: a transition
 * table `P[s][a]` of `{ probability, nextState, reward, terminated }` outcomes sampled each step.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/toy_text/utils.py` (`categorical_sample`) and the `P`
 * tables of `frozen_lake.py` / `cliffwalking.py`.
 */
import type { ResetOptions, ResetResult, StepResult } from '../env.js';
import { RenderableEnv } from '../rendering/renderable-env.js';
import { Discrete } from '../spaces/discrete.js';

/** One possible outcome of taking an action in a state. */
export interface Transition {
  probability: number;
  nextState: number;
  reward: number;
  terminated: boolean;
}

/**
 * Index sampled from `probabilities` with one uniform draw (Gymnasium `categorical_sample`: the
 * first index whose cumulative probability exceeds the draw).
 */
export function categoricalSample(probabilities: ArrayLike<number>, u: number): number {
  let acc = 0;
  for (let i = 0; i < probabilities.length; i++) {
    acc += probabilities[i];
    if (acc > u) return i;
  }
  return probabilities.length - 1;
}

/** The four moves of the grid envs as [row, col] offsets: 0 up, 1 right, 2 down, 3 left. */
export const GRID_MOVES: readonly (readonly [number, number])[] = Object.freeze([
  [-1, 0],
  [0, 1],
  [1, 0],
  [0, -1],
]);

/**
 * A finite MDP with `numStates` states and `numActions` actions. Subclasses fill `P` and
 * `initialStateDistribution` and may override {@link observe}. Steps sample an outcome of
 * `P[s][a]` with the env's generator and report `info.prob`, its probability; stepping after a
 * terminal step is allowed (terminal states loop on themselves with reward 0, as in Gymnasium).
 * Subclasses that render list their modes in `metadata.renderModes`, call `initRenderMode` and
 * implement `sceneText` / `sceneSvg` (see {@link RenderableEnv}); there is a state to draw after
 * the first reset.
 */
export abstract class TabularEnv<O = number> extends RenderableEnv<O, number> {
  /** `Discrete(numActions)`. */
  readonly actionSpace: Discrete;
  /** Number of states. */
  readonly numStates: number;
  /** Number of actions. */
  readonly numActions: number;
  /** The transition table: `P[s][a]` lists the outcomes of action a in state s. Do not mutate. */
  readonly P: Transition[][][];
  /** Probability of starting in each state. */
  readonly initialStateDistribution: Float64Array;
  /** The current state (`-1` before the first reset). */
  s = -1;
  /** The last action taken (`-1` after a reset). */
  lastAction = -1;

  /**
   * @param numStates number of states.
   * @param numActions number of actions.
   * @param className name used in messages before `make` sets a spec (default: the class's name).
   */
  constructor(numStates: number, numActions: number, className?: string) {
    super(className ?? new.target.name);
    this.numStates = numStates;
    this.numActions = numActions;
    this.actionSpace = new Discrete(numActions);
    this.P = Array.from({ length: numStates }, () => Array.from({ length: numActions }, () => []));
    this.initialStateDistribution = new Float64Array(numStates);
  }

  /** The observation of state `s` (default: `s` itself). */
  protected observe(s: number): O {
    return s as O;
  }

  /** Starts an episode in a state drawn from `initialStateDistribution`; info `{ prob: 1 }`. */
  reset(options?: ResetOptions): ResetResult<O> {
    this.seedFromReset(options);
    this.s = categoricalSample(this.initialStateDistribution, this.rng.uniform());
    this.lastAction = -1;
    return { observation: this.observe(this.s), info: { prob: 1 } };
  }

  /**
   * Samples an outcome of `P[s][action]`.
   * @throws TypeError / RangeError when `action` is not in the action space; Error before `reset()`.
   */
  step(action: number): StepResult<O> {
    this.actionSpace.assertContains(action, 'action');
    if (this.s < 0) throw new Error(`${this.name}: step() called before reset(); call reset() first`);
    const outcomes = this.P[this.s][action];
    const i =
      outcomes.length === 1
        ? 0
        : categoricalSample(
            outcomes.map((o) => o.probability),
            this.rng.uniform(),
          );
    const t = outcomes[i];
    this.s = t.nextState;
    this.lastAction = action;
    return {
      observation: this.observe(t.nextState),
      reward: t.reward,
      terminated: t.terminated,
      truncated: false,
      info: { prob: t.probability },
    };
  }

  /** Whether there is a state to draw (after the first reset). */
  protected hasRenderState(): boolean {
    return this.s >= 0;
  }
}
