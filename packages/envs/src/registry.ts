/**
 * The environment registry: `register`, `make`, `spec`, `registeredIds`.
 *
 * Source: Gymnasium 1.x, `gymnasium/envs/registration.py` (`register`, `make`, `spec`, `registry`)
 * and `gymnasium/envs/__init__.py` (the classic-control registrations).
 */
import { Acrobot } from './classic-control/acrobot.js';
import { AcrobotVectorEnv, type AcrobotVectorEnvOptions } from './classic-control/acrobot-vector.js';
import { CartPole, type CartPoleOptions } from './classic-control/cartpole.js';
import { CartPoleVectorEnv, type CartPoleVectorEnvOptions } from './classic-control/cartpole-vector.js';
import { MountainCar, type MountainCarOptions } from './classic-control/mountain-car.js';
import {
  MountainCarContinuous,
  type MountainCarContinuousOptions,
} from './classic-control/mountain-car-continuous.js';
import {
  MountainCarContinuousVectorEnv,
  MountainCarVectorEnv,
  type MountainCarVectorEnvOptions,
} from './classic-control/mountain-car-vector.js';
import { Pendulum, type PendulumOptions } from './classic-control/pendulum.js';
import { PendulumVectorEnv, type PendulumVectorEnvOptions } from './classic-control/pendulum-vector.js';
import type { AnyEnv, Env, EnvSpec } from './env.js';
import { checkEnvStructure } from './env-checker.js';
import { Bandit, type BanditOptions } from './toy-text/bandit.js';
import { CliffWalking, type CliffWalkingOptions } from './toy-text/cliff-walking.js';
import { FrozenLake, type FrozenLakeOptions } from './toy-text/frozen-lake.js';
import {
  GRID_WORLD_DEFAULT_LAYOUT,
  GRID_WORLD_DEFAULT_WALLS,
  GridWorld,
  type GridWorldOptions,
} from './toy-text/grid-world.js';
import { formatValue } from './utils/format.js';
import { OrderEnforcing } from './wrappers/order-enforcing.js';
import { PassiveEnvChecker } from './wrappers/passive-env-checker.js';
import { TimeLimit } from './wrappers/time-limit.js';
import type { Wrapper } from './wrappers/wrapper.js';

const registry = new Map<string, EnvSpec>();

/** Options of {@link make}; any other key is passed to the env's entry point (over `spec.kwargs`). */
export interface MakeOptions {
  /** Overrides `spec.maxEpisodeSteps` (positive integer): the `TimeLimit` applied. */
  maxEpisodeSteps?: number;
  /**
   * Default false: skip the env checker, i.e. the structural check of the new env and the
   * {@link PassiveEnvChecker} wrapper that checks the results of its first resets and steps.
   */
  disableEnvChecker?: boolean;
  [kwarg: string]: unknown;
}

const ID_PATTERN = /^(?:[\w:.-]+\/)?[\w:.-]+?(?:-v\d+)?$/;

/**
 * Adds (or replaces, as Gymnasium does with a warning) a registry entry.
 * @param spec the entry; `id` like `"Name-vN"` or `"namespace/Name-vN"`.
 * @throws TypeError when `spec.id` is not a valid id or `spec.entryPoint` is not a function;
 *   RangeError when `maxEpisodeSteps` is not a positive integer.
 */
export function register(spec: EnvSpec): void {
  if (typeof spec?.id !== 'string' || !ID_PATTERN.test(spec.id)) {
    throw new TypeError(
      `register: id must look like "Name-v0" or "namespace/Name-v0", got ${formatValue(spec?.id)}`,
    );
  }
  if (typeof spec.entryPoint !== 'function') {
    throw new TypeError(
      `register: entryPoint of ${spec.id} must be a function, got ${formatValue(spec.entryPoint)}`,
    );
  }
  checkMaxSteps(spec.maxEpisodeSteps, `register(${spec.id}): maxEpisodeSteps`);
  registry.set(spec.id, { ...spec, kwargs: { ...spec.kwargs } });
}

/**
 * Removes a registry entry.
 * @returns whether an entry was removed.
 */
export function unregister(id: string): boolean {
  return registry.delete(id);
}

/** The ids of all registered envs, sorted. */
export function registeredIds(): string[] {
  return [...registry.keys()].sort();
}

/**
 * The registry entry of `id` (a copy).
 * @throws Error when `id` is not registered; the message lists the registered ids and suggests
 *   other versions of the same env.
 */
export function spec(id: string): EnvSpec {
  const found = registry.get(id);
  if (found === undefined) throw new Error(unknownIdMessage(id));
  return { ...found, kwargs: { ...found.kwargs } };
}

function unknownIdMessage(id: string): string {
  const ids = registeredIds();
  const base = (s: string): string => s.replace(/-v\d+$/, '');
  const versions = typeof id === 'string' ? ids.filter((other) => base(other) === base(id)) : [];
  const hint = versions.length > 0 ? ` Other versions of this env: ${versions.join(', ')}.` : '';
  return `No environment registered with id ${formatValue(id)}.${hint} Registered ids: ${ids.join(', ')}.`;
}

function checkMaxSteps(value: unknown, what: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${what} must be a positive integer, got ${formatValue(value)}`);
  }
}

/**
 * Creates a registered env with Gymnasium's default wrappers: the env from `spec.entryPoint`
 * (called with `{ ...spec.kwargs, ...kwargs }`), then `PassiveEnvChecker` (unless
 * `disableEnvChecker`; it checks the env's structure now and the results of its first resets and
 * steps), then `OrderEnforcing`, then `TimeLimit` when `maxEpisodeSteps` (option or spec) is set. `env.spec` is set to the entry with the effective
 * `maxEpisodeSteps` and kwargs.
 *
 * @example
 * const env = make('CartPole-v1');      // TimeLimit(OrderEnforcing(PassiveEnvChecker(CartPole)), 500)
 * env.reset({ seed: 0 }); env.step(1);
 * env.state;                            // Float64Array(4) of the inner CartPole
 *
 * @param id a registered id (or an `EnvSpec`, used directly without registering it).
 * @param options see {@link MakeOptions}.
 * @returns the outermost wrapper; `unwrapped` is the env itself, `state` forwards to it.
 * @throws Error when `id` is not registered (the message lists the registered ids); RangeError for
 *   a bad `maxEpisodeSteps`; TypeError when the env fails the structural check (spaces, methods,
 *   render settings); whatever the entry point throws for bad kwargs. Later, the env's first
 *   `reset()` / `step()` calls throw when their results fail `PassiveEnvChecker`'s checks.
 */
export function make<O = Float32Array, A = number | Float32Array>(
  id: string | EnvSpec,
  options: MakeOptions = {},
): Wrapper<O, A> {
  const base = typeof id === 'string' ? spec(id) : id;
  const { maxEpisodeSteps, disableEnvChecker, ...kwargs } = options;
  checkMaxSteps(maxEpisodeSteps, `make(${base.id}): maxEpisodeSteps`);
  const steps = maxEpisodeSteps ?? base.maxEpisodeSteps;
  const effective: EnvSpec = { ...base, maxEpisodeSteps: steps, kwargs: { ...base.kwargs, ...kwargs } };
  const env = base.entryPoint({ ...effective.kwargs }) as AnyEnv;
  if (!disableEnvChecker) checkEnvStructure(env, base.id);
  const inner = (env.unwrapped ?? env) as AnyEnv;
  inner.spec = effective;
  const checked = disableEnvChecker
    ? (env as unknown as Env<O, A>)
    : new PassiveEnvChecker(env as unknown as Env<O, A>, base.id);
  let wrapped: Wrapper<O, A> = new OrderEnforcing(checked);
  if (steps !== undefined) wrapped = new TimeLimit(wrapped, steps);
  return wrapped;
}

register({
  id: 'CartPole-v0',
  entryPoint: (options) => new CartPole(options as CartPoleOptions),
  vectorEntryPoint: (options) => new CartPoleVectorEnv(options as CartPoleVectorEnvOptions),
  maxEpisodeSteps: 200,
  rewardThreshold: 195.0,
});

register({
  id: 'CartPole-v1',
  entryPoint: (options) => new CartPole(options as CartPoleOptions),
  vectorEntryPoint: (options) => new CartPoleVectorEnv(options as CartPoleVectorEnvOptions),
  maxEpisodeSteps: 500,
  rewardThreshold: 475.0,
});

register({
  id: 'MountainCar-v0',
  entryPoint: (options) => new MountainCar(options as MountainCarOptions),
  vectorEntryPoint: (options) => new MountainCarVectorEnv(options as MountainCarVectorEnvOptions),
  maxEpisodeSteps: 200,
  rewardThreshold: -110.0,
});

register({
  id: 'MountainCarContinuous-v0',
  entryPoint: (options) => new MountainCarContinuous(options as MountainCarContinuousOptions),
  vectorEntryPoint: (options) => new MountainCarContinuousVectorEnv(options as MountainCarVectorEnvOptions),
  maxEpisodeSteps: 999,
  rewardThreshold: 90.0,
});

register({
  id: 'Pendulum-v1',
  entryPoint: (options) => new Pendulum(options as PendulumOptions),
  vectorEntryPoint: (options) => new PendulumVectorEnv(options as PendulumVectorEnvOptions),
  maxEpisodeSteps: 200,
});

register({
  id: 'Acrobot-v1',
  entryPoint: (options) => new Acrobot(options),
  vectorEntryPoint: (options) => new AcrobotVectorEnv(options as AcrobotVectorEnvOptions),
  maxEpisodeSteps: 500,
  rewardThreshold: -100.0,
});

register({
  id: 'FrozenLake-v1',
  entryPoint: (options) => new FrozenLake(options as FrozenLakeOptions),
  kwargs: { mapName: '4x4' },
  maxEpisodeSteps: 100,
  rewardThreshold: 0.7,
});

register({
  id: 'FrozenLake8x8-v1',
  entryPoint: (options) => new FrozenLake(options as FrozenLakeOptions),
  kwargs: { mapName: '8x8' },
  maxEpisodeSteps: 200,
  rewardThreshold: 0.85,
});

register({
  id: 'CliffWalking-v0',
  entryPoint: (options) => new CliffWalking(options as CliffWalkingOptions),
});

register({
  id: 'GridWorld-v0',
  entryPoint: (options) => new GridWorld(options as GridWorldOptions),
  maxEpisodeSteps: 100,
});

// The 2×3 maze: GridWorld's default layout and walls, pinned here so the id keeps meaning this maze.
register({
  id: 'Maze2x3-v0',
  entryPoint: (options) => new GridWorld(options as GridWorldOptions),
  kwargs: { layout: GRID_WORLD_DEFAULT_LAYOUT, walls: GRID_WORLD_DEFAULT_WALLS },
  maxEpisodeSteps: 100,
  rewardThreshold: 10,
});

register({
  id: 'Bandit-v0',
  entryPoint: (options) => new Bandit(options as BanditOptions),
  maxEpisodeSteps: 1000,
});
