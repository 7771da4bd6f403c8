import { describe, expect, it } from 'vitest';
import {
  Acrobot,
  CartPole,
  CLASSIC_RENDER_MODES,
  checkEnv,
  checkRenderReturn,
  framePixel,
  isRgbaFrame,
  MountainCar,
  MountainCarContinuous,
  make,
  Pendulum,
  ResetNeededError,
  type RgbaFrame,
  rasterizeSvg,
} from '../src/index.js';
import { renderWarnings } from './warnings.js';

const WHITE = [255, 255, 255, 255];
const BLACK = [0, 0, 0, 255];
const POLE = [202, 152, 101, 255];
const LINK = [0, 204, 204, 255];
const JOINT = [204, 204, 0, 255];
const ROD = [204, 77, 77, 255];

/** A frame of `env` (made with renderMode 'rgb_array') after setting its physical state. */
function frameAt(env: { state: ArrayLike<number>; render(): unknown }, state: number[]): RgbaFrame {
  env.state = state;
  const frame = env.render();
  expect(isRgbaFrame(frame)).toBe(true);
  return frame as RgbaFrame;
}

function svgSize(svg: string): [number, number] {
  const m = /^<svg[^>]*\swidth="(\d+)"\s+height="(\d+)"/.exec(svg);
  expect(m).not.toBeNull();
  return [Number(m?.[1]), Number(m?.[2])];
}

describe('render modes', () => {
  it('the classic-control envs list rgb_array and svg and keep the mode given at construction', () => {
    for (const id of [
      'CartPole-v1',
      'Acrobot-v1',
      'MountainCar-v0',
      'MountainCarContinuous-v0',
      'Pendulum-v1',
    ]) {
      const env = make(id, { renderMode: 'svg' });
      expect(env.metadata.renderModes).toEqual(['rgb_array', 'svg']);
      expect(env.renderMode).toBe('svg');
      expect(env.spec?.kwargs?.renderMode).toBe('svg');
      expect(make(id).renderMode).toBeUndefined();
    }
    expect(CLASSIC_RENDER_MODES).toEqual(['rgb_array', 'svg']);
  });

  it('rejects an unsupported render mode with an error naming renderMode', () => {
    expect(() => new CartPole({ renderMode: 'human' as never })).toThrow(RangeError);
    expect(() => new CartPole({ renderMode: 'human' as never })).toThrow(
      /CartPole: renderMode "human" \(string\) is not supported; metadata\.renderModes is \['rgb_array', 'svg'\]/,
    );
    expect(() => make('Pendulum-v1', { renderMode: 3 })).toThrow(TypeError);
    expect(() => make('Pendulum-v1', { renderMode: 3 })).toThrow(/renderMode must be a string/);
    expect(() => new Acrobot({ renderMode: 'rgb' as never })).toThrow(/Acrobot: renderMode "rgb"/);
    expect(() => new Acrobot({ other: 1 } as never)).toThrow(/unknown option "other".*renderMode/);
    expect(new MountainCar({ renderMode: undefined }).renderMode).toBeUndefined();
  });

  it('render() without a render mode returns undefined and warns once, as Gymnasium', async () => {
    const ours = await renderWarnings(() => {
      const env = make('CartPole-v1');
      env.reset({ seed: 0 });
      expect(env.render()).toBeUndefined();
      expect(env.render()).toBeUndefined();
    });
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/CartPole-v1: render\(\) was called without a render mode/);
    expect(ours[0]).toContain("make('CartPole-v1', { renderMode: 'rgb_array' })");
  });

  it('render() before the first reset throws (ResetNeededError through make)', () => {
    expect(() => make('CartPole-v1', { renderMode: 'rgb_array' }).render()).toThrow(ResetNeededError);
    expect(() => new Pendulum({ renderMode: 'svg' }).render()).toThrow(/render\(\) called before reset\(\)/);
  });

  it('step() does no rendering work: render() draws the current state on demand', () => {
    const env = make('CartPole-v1', { renderMode: 'svg' });
    env.reset({ seed: 3 });
    const before = env.render();
    env.step(1);
    const after = env.render();
    expect(after).not.toBe(before);
    expect(env.render()).toBe(after); // same state, same document
  });
});

describe('CartPole frames (600x400)', () => {
  const env = new CartPole({ renderMode: 'rgb_array' });
  env.reset({ seed: 0 });

  it('has the size and the background of Gymnasium', () => {
    const f = frameAt(env, [0, 0, 0, 0]);
    expect([f.width, f.height, f.data.length]).toEqual([600, 400, 600 * 400 * 4]);
    expect(framePixel(f, 10, 10)).toEqual(WHITE);
    expect(framePixel(f, 599, 399)).toEqual(WHITE);
  });

  it('draws the cart at x·125 + 300 px, the track at row 299 and the pole above the axle', () => {
    const f = frameAt(env, [0, 0, 0, 0]);
    // cart: 50x30 px around (300, 300)
    expect(framePixel(f, 280, 305)).toEqual(BLACK);
    expect(framePixel(f, 320, 312)).toEqual(BLACK);
    expect(framePixel(f, 250, 305)).toEqual(WHITE);
    // track line across the whole width
    expect(framePixel(f, 5, 299)).toEqual(BLACK);
    expect(framePixel(f, 595, 299)).toEqual(BLACK);
    // upright pole: 10 px wide, 125 px long
    expect(framePixel(f, 300, 200)).toEqual(POLE);
    expect(framePixel(f, 300, 180)).toEqual(POLE);
    expect(framePixel(f, 310, 200)).toEqual(WHITE);
    expect(framePixel(f, 300, 160)).toEqual(WHITE);
    // the axle, blue-grey
    expect(framePixel(f, 300, 292)).toEqual([129, 132, 203, 255]);

    const moved = frameAt(env, [1, 0, 0, 0]); // cart at 425 px
    expect(framePixel(moved, 280, 305)).toEqual(WHITE);
    expect(framePixel(moved, 405, 305)).toEqual(BLACK);
    expect(framePixel(moved, 425, 200)).toEqual(POLE);
  });

  it('tilts the pole with theta (positive = to the right)', () => {
    const upright = frameAt(env, [0, 0, 0, 0]);
    const tilted = frameAt(env, [0, 0, 0.2, 0]);
    expect(framePixel(tilted, 300, 200)).toEqual(WHITE);
    // 100 px along the pole from the axle at (300, 292.5): (300 + 100 sin 0.2, 292.5 − 100 cos 0.2)
    expect(framePixel(tilted, 320, 195)).toEqual(POLE);
    expect(framePixel(upright, 320, 195)).toEqual(WHITE);
    const left = frameAt(env, [0, 0, -0.2, 0]);
    expect(framePixel(left, 280, 195)).toEqual(POLE);
  });

  it('the rgb_array frame is the svg document rasterized', () => {
    const svgEnv = new CartPole({ renderMode: 'svg' });
    svgEnv.reset({ seed: 0 });
    svgEnv.state = [0.3, 0, -0.1, 0];
    const svg = svgEnv.render() as string;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svgSize(svg)).toEqual([600, 400]);
    const f = frameAt(env, [0.3, 0, -0.1, 0]);
    const r = rasterizeSvg(svg);
    expect([r.width, r.height]).toEqual([f.width, f.height]);
    expect(Buffer.from(r.data.buffer).equals(Buffer.from(f.data.buffer))).toBe(true);
  });
});

describe('Acrobot frames (500x500)', () => {
  const env = new Acrobot({ renderMode: 'rgb_array' });
  env.reset({ seed: 0 });

  it('hangs both links down from the centre at theta = 0', () => {
    const f = frameAt(env, [0, 0, 0, 0]);
    expect([f.width, f.height]).toEqual([500, 500]);
    expect(framePixel(f, 250, 250)).toEqual(JOINT); // pivot joint
    expect(framePixel(f, 250, 300)).toEqual(LINK); // link 1, 113.6 px long
    expect(framePixel(f, 250, 450)).toEqual(LINK); // link 2
    expect(framePixel(f, 250, 200)).toEqual(WHITE);
    // the target line 1 m (113.6 px) above the pivot
    expect(framePixel(f, 100, 136)[0]).toBeLessThan(64);
    expect(framePixel(f, 100, 120)).toEqual(WHITE);
  });

  it('swings the links with the angles', () => {
    // theta1 = π/2: link 1 points to the right of the pivot (Gymnasium's picture).
    const f = frameAt(env, [Math.PI / 2, 0, 0, 0]);
    expect(framePixel(f, 300, 250)).toEqual(LINK);
    expect(framePixel(f, 250, 300)).toEqual(WHITE);
    expect(framePixel(f, 420, 250)).toEqual(LINK); // link 2 continues
    const bent = frameAt(env, [Math.PI / 2, Math.PI / 2, 0, 0]); // link 2 turns up
    expect(framePixel(bent, 420, 250)).toEqual(WHITE);
    expect(framePixel(bent, 364, 180)).toEqual(LINK);
  });
});

describe('MountainCar frames (600x400)', () => {
  for (const Env of [MountainCar, MountainCarContinuous]) {
    it(`${Env.name}: car on the hill, flag at the goal`, () => {
      const env = new Env({ renderMode: 'rgb_array' });
      env.reset({ seed: 0 });
      const f = frameAt(env, [-0.5, 0]);
      expect([f.width, f.height]).toEqual([600, 400]);
      // car body above the hill at x = (−0.5 + 1.2)·333.3 = 233 px
      expect(framePixel(f, 233, 342)).toEqual(BLACK);
      // a grey wheel 10 px to the right
      expect(framePixel(f, 243, 357)).toEqual([128, 128, 128, 255]);
      // the yellow flag near the top right
      const goalX = Env === MountainCar ? 572 : 555;
      expect(framePixel(f, goalX, 23)).toEqual(JOINT);
      const moved = frameAt(env, [0.2, 0]);
      expect(framePixel(moved, 233, 342)).toEqual(WHITE);
    });
  }
});

describe('Pendulum frames (500x500)', () => {
  it('draws the rod from the axle at the angle, and the torque arrow after a step', () => {
    const env = new Pendulum({ renderMode: 'rgb_array' });
    env.reset({ seed: 0 });
    const up = frameAt(env, [0, 0]);
    expect([up.width, up.height]).toEqual([500, 500]);
    expect(framePixel(up, 250, 180)).toEqual(ROD);
    expect(framePixel(up, 250, 249)).toEqual(BLACK); // axle
    const left = frameAt(env, [Math.PI / 2, 0]); // counter-clockwise = to the left
    expect(framePixel(left, 180, 249)).toEqual(ROD);
    expect(framePixel(left, 250, 180)).toEqual(WHITE);

    const svgEnv = new Pendulum({ renderMode: 'svg' });
    svgEnv.reset({ seed: 0 });
    expect(svgSize(svgEnv.render() as string)).toEqual([500, 500]);
    expect(svgEnv.render()).not.toContain('<path');
    svgEnv.step(new Float32Array([-1.5]));
    expect(svgEnv.render()).toContain('<path');
  });
});

describe('checkEnv and checkRenderReturn on render settings', () => {
  const base = () => {
    const env = new CartPole();
    return {
      reset: (options?: { seed?: number }) => env.reset(options),
      step: (a: number) => env.step(a),
      close: () => {},
      render: () => undefined,
      observationSpace: env.observationSpace,
      actionSpace: env.actionSpace,
    };
  };

  it('accepts every classic-control env in every mode', () => {
    for (const Env of [CartPole, Acrobot, MountainCar, MountainCarContinuous, Pendulum]) {
      for (const renderMode of [undefined, ...CLASSIC_RENDER_MODES]) {
        expect(() => checkEnv(new Env({ renderMode }))).not.toThrow();
      }
    }
  });

  it('rejects a render mode missing from metadata.renderModes, bad modes and a bad renderFps', () => {
    const check = (extra: object) => () =>
      checkEnv({ ...base(), ...extra } as never, { envName: 'Fake-v0', skipRenderCheck: true });
    expect(check({ metadata: { renderModes: ['rgb_array'] }, renderMode: 'rgb_array' })).not.toThrow();
    expect(check({ metadata: { renderModes: ['rgb_array'] }, renderMode: 'svg' })).toThrow(
      /Fake-v0: renderMode "svg" \(string\) is not one of metadata\.renderModes \['rgb_array'\]/,
    );
    expect(check({ metadata: { renderModes: [] }, renderMode: 'rgb_array' })).toThrow(
      /metadata\.renderModes is empty/,
    );
    expect(check({ metadata: { renderModes: ['rgb_array', 3] } })).toThrow(
      /renderModes must be an array of strings/,
    );
    expect(check({ metadata: { renderModes: ['rgb_array'], renderFps: 0 } })).toThrow(
      /renderFps must be a positive/,
    );
    expect(check({ metadata: { renderModes: ['svg'] }, renderMode: 'svg', render: undefined })).toThrow(
      /no render\(\) method/,
    );
  });

  it('checks what render() returns for the mode', () => {
    const env = new CartPole({ renderMode: 'rgb_array' });
    env.reset({ seed: 0 });
    expect(() => checkRenderReturn('rgb_array', env.render())).not.toThrow();
    expect(() => checkRenderReturn('rgb_array', '<svg/>', 'CartPole-v1')).toThrow(
      /CartPole-v1: render\(\) in renderMode "rgb_array" \(string\) must return an RgbaFrame/,
    );
    const bad = { width: 2, height: 2, data: new Uint8ClampedArray(15) };
    expect(() => checkRenderReturn('rgb_array', bad)).toThrow(TypeError);
    expect(() => checkRenderReturn('svg', '<svg xmlns="http://www.w3.org/2000/svg"/>')).not.toThrow();
    expect(() => checkRenderReturn('svg', env.render())).toThrow(/must return an SVG document/);
    expect(() => checkRenderReturn('ansi', 'x')).not.toThrow();
    expect(() => checkRenderReturn('ansi', 1)).toThrow(TypeError);
    expect(() => checkRenderReturn(undefined, undefined)).not.toThrow();
    expect(() => checkRenderReturn('rgb_array_list', [env.render(), env.render()])).not.toThrow();
    expect(() => checkRenderReturn('rgb_array_list', [env.render(), 'x'])).toThrow(/frame 1 of the list/);
  });
});
