import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkEnv, make, makeVec } from '@proximal/envs';
import { describe, expect, it, vi } from 'vitest';
import {
  Ant,
  HalfCheetah,
  Hopper,
  InvertedDoublePendulum,
  InvertedPendulum,
  MUJOCO_ENV_IDS,
  type MujocoEnv,
  Reacher,
  Swimmer,
  takeMessages,
  Walker2d,
} from '../src/index.js';
import { HOPPER_XML } from '../src/models.js';

const SIZES: Record<string, [number, number]> = {
  'InvertedPendulum-v5': [4, 1],
  'HalfCheetah-v5': [17, 6],
  'Hopper-v5': [11, 3],
  'Walker2d-v5': [17, 6],
  'Swimmer-v5': [8, 2],
  'Reacher-v5': [10, 2],
  'InvertedDoublePendulum-v5': [9, 1],
  'Ant-v5': [105, 8],
};

function action(env: MujocoEnv, values: (i: number) => number): Float32Array {
  return Float32Array.from({ length: env.actionSpace.size }, (_, i) => values(i));
}

describe('registration and spaces', () => {
  it.each(MUJOCO_ENV_IDS)('%s is made by make() and passes checkEnv', (id) => {
    const env = make(id);
    checkEnv(env);
    const [obs, act] = SIZES[id];
    expect(env.observationSpace.shape).toEqual([obs]);
    expect(env.actionSpace.shape).toEqual([act]);
    expect(env.spec?.maxEpisodeSteps).toBe(id === 'Reacher-v5' ? 50 : 1000);
    const { observation } = env.reset({ seed: 1 });
    expect(observation).toBeInstanceOf(Float32Array);
    expect(observation.length).toBe(obs);
    env.close();
  });

  it('has Gymnasium v5 time steps, frame skips and action bounds', () => {
    const cases: [MujocoEnv, number, number, number][] = [
      [new InvertedPendulum(), 0.04, 3, 25],
      [new HalfCheetah(), 0.05, 1, 20],
      [new Hopper(), 0.008, 1, 125],
      [new Walker2d(), 0.008, 1, 125],
      [new Swimmer(), 0.04, 1, 25],
      [new Reacher(), 0.02, 1, 50],
      [new InvertedDoublePendulum(), 0.05, 1, 20],
      [new Ant(), 0.05, 1, 20],
    ];
    for (const [env, dt, bound, fps] of cases) {
      expect(env.dt).toBeCloseTo(dt, 12);
      expect(Array.from(env.actionSpace.high)).toEqual(new Array(env.actionSpace.size).fill(bound));
      expect(env.metadata.renderFps).toBe(fps);
      env.close();
    }
    expect(new HalfCheetah({ frameSkip: 2 }).dt).toBeCloseTo(0.02, 12);
  });

  it('includes x with excludeCurrentPositionsFromObservation: false', () => {
    const env = new HalfCheetah({ excludeCurrentPositionsFromObservation: false });
    expect(env.observationSpace.shape).toEqual([18]);
    const { observation, info } = env.reset({ seed: 3 });
    expect(observation[0]).toBe(Math.fround(env.qpos[0]));
    expect(info.x_position).toBe(env.qpos[0]);
  });

  it('refuses unknown options, renderer options and bad values by name', () => {
    expect(() => new Hopper({ foo: 1 } as never)).toThrow(/unknown option "foo".*healthyZRange/);
    expect(() => new HalfCheetah({ healthyReward: 1 } as never)).toThrow(/unknown option "healthyReward"/);
    expect(() => new Walker2d({ healthyStateRange: [0, 1] } as never)).toThrow(/unknown option/);
    expect(() => new Hopper({ cameraName: 'track' } as never)).toThrow(/cameraName.*not supported/);
    expect(() => new Hopper({ frameSkip: 0 })).toThrow(/frameSkip must be a positive integer/);
    expect(() => new Hopper({ healthyZRange: [1, 0] })).toThrow(/healthyZRange/);
    expect(() => new HalfCheetah({ ctrlCostWeight: Number.NaN })).toThrow(
      /ctrlCostWeight must be a finite number/,
    );
    expect(() => new InvertedPendulum({ renderMode: 'human' as never })).toThrow(/renderMode/);
    expect(() => new Hopper({ xmlFile: '/no/such/file.xml' })).toThrow(/cannot read xmlFile/);
  });

  it('loads a model from xmlFile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'proximal-mujoco-'));
    const file = join(dir, 'hopper.xml');
    writeFileSync(file, HOPPER_XML.replace('gear="200"', 'gear="50"'));
    const env = new Hopper({ xmlFile: file });
    expect(Array.from(env.model.actuator_gear as Float64Array).filter((_, i) => i % 6 === 0)).toEqual([
      50, 200, 200,
    ]);
    writeFileSync(file, '<mujoco><worldbody><bogus/></worldbody></mujoco>');
    expect(() => new Hopper({ xmlFile: file })).toThrow(/Hopper: MuJoCo could not compile the model XML/);
  });

  it('rejects bad actions and steps out of order', () => {
    const env = new Hopper();
    expect(() => env.step(new Float32Array(3))).toThrow(/before reset/);
    env.reset({ seed: 0 });
    expect(() => env.step(new Float32Array(2))).toThrow(/action has length 2, expected 3/);
    expect(() => env.step(Float32Array.of(0, Number.NaN, 0))).toThrow(/action element \[1\] must be finite/);
    env.close();
    expect(() => env.reset()).toThrow(/closed/);
  });
});

describe('rewards and info recomputed from MjData', () => {
  it('HalfCheetah: forward reward from Δx / dt and the control cost', () => {
    const env = new HalfCheetah({ forwardRewardWeight: 1.5, ctrlCostWeight: 0.2 });
    env.reset({ seed: 4 });
    for (let t = 0; t < 20; t++) {
      const a = action(env, (i) => Math.sin(t + i) * 1.3); // partly outside [-1, 1]
      const x0 = env.qpos[0];
      const r = env.step(a);
      const x1 = (env.data.qpos as Float64Array)[0];
      const v = (x1 - x0) / 0.05;
      const ctrl = 0.2 * a.reduce((s, u) => s + u * u, 0);
      expect(r.info.x_position).toBe(x1);
      expect(r.info.x_velocity).toBeCloseTo(v, 12);
      expect(r.info.reward_forward).toBeCloseTo(1.5 * v, 12);
      expect(r.info.reward_ctrl).toBeCloseTo(-ctrl, 12);
      expect(r.reward).toBeCloseTo(1.5 * v - ctrl, 12);
      expect(r.terminated).toBe(false);
      // MuJoCo clamps ctrl to ctrlrange; the cost uses the action as given.
      expect(Math.max(...Array.from(env.data.ctrl as Float64Array).map(Math.abs))).toBeGreaterThan(1);
      expect(Array.from(r.observation)).toEqual(Array.from(env.stateVector().subarray(1), Math.fround));
    }
  });

  it.each([
    ['Hopper', () => new Hopper()],
    ['Walker2d', () => new Walker2d()],
  ])('%s: forward, survive and control terms; qvel clipped to ±10 in the observation', (_, create) => {
    const env = create();
    env.reset({ seed: 5 });
    const nq = env.model.nq;
    for (let t = 0; t < 30; t++) {
      const a = action(env, (i) => Math.cos(2 * t + i));
      const x0 = env.qpos[0];
      const r = env.step(a);
      const qpos = env.qpos;
      const v = (qpos[0] - x0) / env.dt;
      expect(r.info.x_velocity).toBeCloseTo(v, 12);
      expect(r.info.z_distance_from_origin).toBeCloseTo(qpos[1] - 1.25, 12);
      expect(r.info.reward_ctrl).toBeCloseTo(-1e-3 * a.reduce((s, u) => s + u * u, 0), 12);
      expect(r.info.reward_survive).toBe(r.terminated ? 0 : 1);
      expect(r.reward).toBeCloseTo(
        v + (r.info.reward_survive as number) + (r.info.reward_ctrl as number),
        12,
      );
      const qvel = env.qvel;
      for (let i = 0; i < qvel.length; i++) {
        expect(r.observation[nq - 1 + i]).toBe(Math.fround(Math.min(10, Math.max(-10, qvel[i]))));
      }
      if (r.terminated) break;
    }
  });

  it('Swimmer: forward reward from Δx / dt, xy info, positions left out of the observation', () => {
    const env = new Swimmer();
    const { info } = env.reset({ seed: 2 });
    expect(info.distance_from_origin).toBeCloseTo(Math.hypot(env.qpos[0], env.qpos[1]), 15);
    for (let t = 0; t < 10; t++) {
      const a = action(env, (i) => Math.sin(t + 2 * i));
      const [x0, y0] = env.qpos;
      const r = env.step(a);
      const q = env.qpos;
      expect(r.info.x_velocity).toBeCloseTo((q[0] - x0) / 0.04, 12);
      expect(r.info.y_velocity).toBeCloseTo((q[1] - y0) / 0.04, 12);
      expect(r.reward).toBeCloseTo((q[0] - x0) / 0.04 - 1e-4 * a.reduce((s, u) => s + u * u, 0), 12);
      expect(Array.from(r.observation)).toEqual(Array.from(env.stateVector().subarray(2), Math.fround));
    }
  });

  it('Reacher: distance from the fingertip and target bodies, target drawn inside the 0.2 disc', () => {
    const env = new Reacher({ rewardDistWeight: 2 });
    for (let seed = 0; seed < 5; seed++) {
      env.reset({ seed });
      const q = env.qpos;
      expect(Math.hypot(q[2], q[3])).toBeLessThan(0.2);
      expect(Array.from(env.qvel.subarray(2))).toEqual([0, 0]);
      expect(Array.from(env.bodyPosition('target').subarray(0, 2))).toEqual([
        expect.closeTo(q[2], 12),
        expect.closeTo(q[3], 12),
      ]);
    }
    const a = Float32Array.of(0.5, -0.25);
    const r = env.step(a);
    const tip = env.bodyPosition('fingertip');
    const target = env.bodyPosition('target');
    const dist = Math.hypot(tip[0] - target[0], tip[1] - target[1], tip[2] - target[2]);
    expect(r.info.reward_dist).toBeCloseTo(-2 * dist, 12);
    expect(r.info.reward_ctrl).toBeCloseTo(-(0.25 + 0.0625), 6);
    expect(r.observation[8]).toBe(Math.fround(tip[0] - target[0]));
    expect(r.observation[0]).toBe(Math.fround(Math.cos(env.qpos[0])));
  });

  it('InvertedDoublePendulum: penalties from the tip site and the pole velocities', () => {
    const env = new InvertedDoublePendulum();
    env.reset({ seed: 3 });
    const r = env.step(Float32Array.of(0.1));
    const site = env.data.site_xpos as Float64Array;
    const v = env.qvel;
    expect(r.info.distance_penalty).toBeCloseTo(-(0.01 * site[0] ** 2 + (site[2] - 2) ** 2), 12);
    expect(r.info.velocity_penalty).toBeCloseTo(-(1e-3 * v[1] ** 2 + 5e-3 * v[2] ** 2), 12);
    expect(r.info.reward_survive).toBe(10);
    expect(r.reward).toBeCloseTo(
      10 + (r.info.distance_penalty as number) + (r.info.velocity_penalty as number),
      12,
    );
    env.setState([0, 1.2, 0.5], [0, 0, 0]); // tip height 0.6 cos 1.2 + 0.6 cos 1.7 < 1
    const fallen = env.step(Float32Array.of(0));
    expect(fallen.terminated).toBe(true);
    expect(fallen.info.reward_survive).toBe(0);
  });

  it('Ant: main-body velocity, clipped contact forces in the cost and the observation', () => {
    const env = new Ant({ contactForceRange: [-0.5, 0.5], contactCostWeight: 1e-2 });
    env.reset({ seed: 6 });
    const torso = env.mainBody;
    let sawContact = false;
    for (let t = 0; t < 40; t++) {
      const a = action(env, (i) => Math.sin(0.5 * t + i));
      const before = env.bodyPosition('torso');
      const r = env.step(a);
      const after = env.bodyPosition('torso');
      expect(torso).toBe(1);
      expect(r.info.x_velocity).toBeCloseTo((after[0] - before[0]) / 0.05, 12);
      expect(r.info.y_velocity).toBeCloseTo((after[1] - before[1]) / 0.05, 12);
      const raw = env.data.cfrc_ext as Float64Array;
      let contact = 0;
      for (const f of raw) contact += Math.min(0.5, Math.max(f, -0.5)) ** 2;
      if (contact > 0) sawContact = true;
      expect(r.info.reward_contact).toBeCloseTo(-1e-2 * contact, 12);
      expect(r.info.reward_ctrl).toBeCloseTo(-0.5 * a.reduce((s, u) => s + u * u, 0), 12);
      expect(r.reward).toBeCloseTo(
        (r.info.reward_forward as number) +
          (r.info.reward_survive as number) +
          (r.info.reward_ctrl as number) +
          (r.info.reward_contact as number),
        12,
      );
      expect(r.observation[13 + 14]).toBe(Math.fround(Math.min(0.5, Math.max(raw[6], -0.5))));
      expect(r.observation.length).toBe(105);
      if (r.terminated) break;
    }
    expect(sawContact).toBe(true);
    expect(new Ant({ includeCfrcExtInObservation: false }).observationSpace.shape).toEqual([27]);
    expect(
      new Ant({ excludeCurrentPositionsFromObservation: false, mainBody: 'torso' }).observationSpace.shape,
    ).toEqual([107]);
    expect(() => new Ant({ mainBody: 'tail' })).toThrow(/no body named 'tail'/);
  });

  it('Ant terminates outside the closed healthyZRange', () => {
    const env = new Ant();
    env.reset({ seed: 0 });
    const qpos = env.qpos;
    qpos[2] = 1.5;
    env.setState(qpos, env.qvel);
    const r = env.step(new Float32Array(8));
    expect(r.terminated).toBe(true);
    expect(r.info.reward_survive).toBe(0);
  });

  it('reset info and state noise follow Gymnasium (uniform qpos, normal qvel for HalfCheetah)', () => {
    const env = new Hopper({ resetNoiseScale: 0.1 });
    const { info } = env.reset({ seed: 7 });
    expect(info.x_position).toBe(env.qpos[0]);
    expect(info.z_distance_from_origin).toBeCloseTo(env.qpos[1] - 1.25, 15);
    for (const q of env.qvel) expect(Math.abs(q)).toBeLessThanOrEqual(0.1);
    const cheetah = new HalfCheetah({ resetNoiseScale: 0.5 });
    cheetah.reset({ seed: 1 });
    let beyond = 0; // N(0, 0.25) exceeds the uniform bound 0.5 for ~32 % of draws
    for (let s = 0; s < 10; s++) {
      cheetah.reset({ seed: s });
      for (const q of cheetah.qvel) if (Math.abs(q) > 0.5) beyond++;
      for (const q of cheetah.qpos) expect(Math.abs(q)).toBeLessThanOrEqual(0.5);
    }
    expect(beyond).toBeGreaterThan(5);
  });
});

describe('termination at the healthy bounds', () => {
  it('Hopper terminates below healthyZRange, outside the angle range and the state range', () => {
    const env = new Hopper();
    const zero = new Float32Array(3);
    const cases: [number, number][] = [
      [1, 0.5], // z
      [2, 0.5], // torso angle
    ];
    for (const [index, value] of cases) {
      env.reset({ seed: 0 });
      const qpos = env.qpos;
      qpos[index] = value;
      env.setState(qpos, env.qvel);
      const r = env.step(zero);
      expect(r.terminated).toBe(true);
      expect(r.info.reward_survive).toBe(0);
      expect(() => env.step(zero)).toThrow(/terminated/);
    }
    env.reset({ seed: 0 });
    const qvel = env.qvel;
    qvel[3] = 1e4; // far outside healthyStateRange (-100, 100)
    env.setState(env.qpos, qvel);
    expect(env.isHealthy).toBe(false);
    const relaxed = new Hopper({ terminateWhenUnhealthy: false, healthyZRange: [0.2, Infinity] });
    relaxed.reset({ seed: 0 });
    const q = relaxed.qpos;
    q[1] = 0.5;
    relaxed.setState(q, relaxed.qvel);
    const r = relaxed.step(zero);
    expect(r.terminated).toBe(false);
    expect(r.info.reward_survive).toBe(1);
  });

  it('Walker2d terminates when the torso tilts past healthyAngleRange; healthy at reset', () => {
    const env = new Walker2d();
    env.reset({ seed: 2 });
    expect(env.isHealthy).toBe(true);
    const qpos = env.qpos;
    qpos[2] = 1.2;
    env.setState(qpos, env.qvel);
    expect(env.step(new Float32Array(6)).terminated).toBe(true);
  });

  it('InvertedPendulum terminates with reward 0 when |angle| > 0.2', () => {
    const env = new InvertedPendulum();
    env.reset({ seed: 0 });
    env.setState([0, 0.3], [0, 0]);
    const r = env.step(new Float32Array(1));
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(0);
    expect(r.info).toEqual({ reward_survive: 0 });
  });
});

describe('determinism and physical sanity', () => {
  it.each(MUJOCO_ENV_IDS)('%s: the same seed gives the same trajectory', (id) => {
    const run = (): number[] => {
      const env = make(id);
      const out = Array.from(env.reset({ seed: 11 }).observation);
      for (let t = 0; t < 25; t++) {
        const r = env.step(action(env.unwrapped as MujocoEnv, (i) => Math.sin(0.3 * t + i)));
        out.push(r.reward, ...r.observation);
        if (r.terminated) break;
      }
      return out;
    };
    const a = run();
    expect(run()).toEqual(a);
    const env = make(id);
    expect(Array.from(env.reset({ seed: 12 }).observation)).not.toEqual(a.slice(0, SIZES[id][0]));
  });

  it('a zero-action Hopper falls and terminates within the time limit', () => {
    const env = make('Hopper-v5');
    env.reset({ seed: 0 });
    let steps = 0;
    for (;;) {
      const r = env.step(new Float32Array(3));
      steps++;
      if (r.terminated || r.truncated) {
        expect(r.terminated).toBe(true);
        break;
      }
    }
    expect(steps).toBeLessThan(1000);
    expect(steps).toBeGreaterThan(5);
  });

  it('a zero-action HalfCheetah earns about zero reward', () => {
    const env = make('HalfCheetah-v5');
    env.reset({ seed: 0 });
    let sum = 0;
    for (let t = 0; t < 200; t++) sum += env.step(new Float32Array(6)).reward;
    expect(Math.abs(sum / 200)).toBeLessThan(0.05);
  });

  it('a zero-action InvertedPendulum falls and terminates', () => {
    const env = make('InvertedPendulum-v5');
    env.reset({ seed: 0 });
    let steps = 0;
    let ended = false;
    while (!ended) {
      const r = env.step(new Float32Array(1));
      steps++;
      ended = r.terminated || r.truncated;
      if (ended) expect(r.terminated).toBe(true);
    }
    expect(steps).toBeLessThan(200);
  });
});

describe('MuJoCo warnings', () => {
  it('an unstable state is reported once as a Node warning and kept in takeMessages()', () => {
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const env = new Hopper();
      for (let k = 0; k < 2; k++) {
        env.reset({ seed: 0 });
        takeMessages();
        const qvel = env.qvel;
        qvel[3] = 1e12; // above MuJoCo's mjMAXVAL: MuJoCo warns and resets the data
        env.setState(env.qpos, qvel);
        env.step(new Float32Array(3));
        expect(takeMessages().join(' ')).toMatch(/WARNING: Nan, Inf or huge value/);
      }
      const calls = spy.mock.calls.filter((c) => String(c[0]).includes('Nan, Inf or huge value'));
      expect(calls).toHaveLength(1);
      expect(calls[0][1]).toEqual({ code: 'PROXIMAL_MUJOCO' });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('vector envs', () => {
  it('makeVec runs the MuJoCo envs in a SyncVectorEnv', () => {
    const vec = makeVec('Hopper-v5', { numEnvs: 3, vectorizationMode: 'sync' });
    const { observations } = vec.reset({ seed: 1 });
    expect(observations.length).toBe(3 * 11);
    const r = vec.step(new Float32Array(3 * 3));
    expect(r.rewards.length).toBe(3);
    vec.close();
  });
});

describe('rendering', () => {
  it('draws an SVG side view that follows the torso, and RGBA frames', () => {
    const env = new HalfCheetah({ renderMode: 'svg', width: 200, height: 100 });
    expect(() => env.render()).toThrow(/before reset/);
    env.reset({ seed: 0 });
    const svg = env.render() as string;
    expect(svg).toMatch(/^<svg[^>]*width="200" height="100"/);
    expect((svg.match(/<line [^>]*stroke-linecap="round"/g) ?? []).length).toBe(8); // 8 capsules
    const reacher = new Reacher({ renderMode: 'svg' });
    reacher.reset({ seed: 0 });
    expect((reacher.render() as string).match(/<circle /g)).toHaveLength(2); // fingertip and target
    const ant = new Ant({ renderMode: 'svg' });
    ant.reset({ seed: 0 });
    expect(ant.render() as string).toMatch(/<circle [^>]*r="30"/); // torso sphere 0.25 m at 120 px/m
    const frame = new Hopper({ renderMode: 'rgb_array', width: 64, height: 48 });
    frame.reset({ seed: 0 });
    const rgba = frame.render() as { width: number; height: number; data: Uint8ClampedArray };
    expect([rgba.width, rgba.height, rgba.data.length]).toEqual([64, 48, 64 * 48 * 4]);
  });
});
