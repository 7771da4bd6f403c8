import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode as decodePng } from 'fast-png';
import { GifReader } from 'omggif';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cappedCubicVideoSchedule,
  encodeGif,
  encodePng,
  framePixel,
  GifWriter,
  make,
  RecordVideo,
  type RgbaFrame,
  saveGif,
  savePngFrames,
} from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'proximal-recording-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Frames of a CartPole episode pushed right until it ends (or `max` frames). */
function cartPoleFrames(max = 8): RgbaFrame[] {
  const env = make('CartPole-v1', { renderMode: 'rgb_array' });
  env.reset({ seed: 0 });
  const frames = [env.render() as RgbaFrame];
  while (frames.length < max) {
    const r = env.step(1);
    frames.push(env.render() as RgbaFrame);
    if (r.terminated || r.truncated) break;
  }
  return frames;
}

function readGif(path: string): GifReader {
  return new GifReader(new Uint8Array(readFileSync(path)));
}

function gifFrame(gif: GifReader, i: number): RgbaFrame {
  const data = new Uint8ClampedArray(gif.width * gif.height * 4);
  gif.decodeAndBlitFrameRGBA(i, data);
  return { width: gif.width, height: gif.height, data };
}

describe('saveGif / encodeGif', () => {
  const frames = cartPoleFrames(6);

  it('writes an animated GIF that decodes to the frames (count, size, delay, colours)', () => {
    const path = join(root, 'nested', 'cartpole.gif');
    saveGif(frames, path, { fps: 50 });
    const gif = readGif(path);
    expect(gif.numFrames()).toBe(6);
    expect([gif.width, gif.height]).toEqual([600, 400]);
    expect(gif.frameInfo(0).delay).toBe(2); // centiseconds: 100 / 50
    expect(gif.loopCount()).toBe(0); // forever
    for (const i of [0, 5]) {
      const decoded = gifFrame(gif, i);
      for (const [x, y] of [
        [10, 10],
        [300, 200],
        [280, 310],
        [5, 299],
      ]) {
        expect(framePixel(decoded, x, y)).toEqual(framePixel(frames[i], x, y));
      }
    }
  });

  it('checks its inputs', () => {
    expect(() => encodeGif([])).toThrow(/frames is empty/);
    expect(() => encodeGif(frames, { fps: 0 })).toThrow(/fps must be a positive number/);
    expect(() => encodeGif(frames, { maxColors: 1 })).toThrow(/maxColors/);
    expect(() => encodeGif([frames[0], { width: 2, height: 2, data: new Uint8ClampedArray(16) }])).toThrow(
      /frame 1 is 2x2, but the GIF is 600x400/,
    );
    expect(() => encodeGif(['x' as never])).toThrow(/frame must be an RgbaFrame/);
    const w = new GifWriter({ fps: 10, loop: -1 });
    expect(() => w.finish()).toThrow(/without frames/);
    w.addFrame(frames[0]);
    const once = new GifReader(w.finish());
    expect(once.numFrames()).toBe(1);
    expect(once.frameInfo(0).delay).toBe(10);
    expect(once.loopCount()).toBe(null); // no loop extension: plays once
    expect(() => w.addFrame(frames[0])).toThrow(/after finish/);
  });
});

describe('savePngFrames / encodePng', () => {
  it('writes one lossless PNG per frame', () => {
    const frames = cartPoleFrames(3);
    const dir = join(root, 'png');
    const paths = savePngFrames(frames, dir, { prefix: 'cartpole' });
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual([
      'cartpole-000000.png',
      'cartpole-000001.png',
      'cartpole-000002.png',
    ]);
    paths.forEach((p, i) => {
      const png = decodePng(readFileSync(p));
      expect([png.width, png.height, png.channels, png.depth]).toEqual([600, 400, 4, 8]);
      expect(
        Buffer.from(png.data.buffer, png.data.byteOffset, png.data.byteLength).equals(
          Buffer.from(frames[i].data),
        ),
      ).toBe(true);
    });
    expect(decodePng(encodePng(frames[0])).width).toBe(600);
    expect(() => encodePng({ width: 1, height: 1, data: new Uint8ClampedArray(3) })).toThrow(TypeError);
    expect(() => savePngFrames(frames, dir, { prefix: 'a/b' })).toThrow(/prefix/);
    expect(() => savePngFrames(frames, dir, { startIndex: -1 })).toThrow(/startIndex/);
  });
});

describe('RecordVideo', () => {
  it('records whole episodes as GIFs named like Gymnasium, written at the next reset / close', () => {
    const folder = join(root, 'videos');
    const env = new RecordVideo(make('CartPole-v1', { renderMode: 'rgb_array' }), {
      videoFolder: folder,
      episodeTrigger: () => true,
    });
    expect(env.fps).toBe(50); // metadata.renderFps
    env.reset({ seed: 0 });
    let steps = 0;
    for (;;) {
      steps += 1;
      const r = env.step(1);
      if (r.terminated || r.truncated) break;
    }
    expect(env.recording).toBe(true);
    expect(env.videos).toEqual([]);
    env.reset();
    expect(env.videos).toEqual([join(folder, 'rl-video-episode-0.gif')]);
    env.step(0);
    env.step(0);
    env.close();
    expect(env.recording).toBe(false);
    expect(env.videos[1]).toBe(join(folder, 'rl-video-episode-1.gif'));
    expect(readGif(env.videos[0]).numFrames()).toBe(steps + 1); // the reset frame + one per step
    expect(readGif(env.videos[1]).numFrames()).toBe(3);
    expect(readGif(env.videos[1]).width).toBe(600);
  });

  it('supports step triggers, fixed-length videos and PNG frames', () => {
    const folder = join(root, 'snippets');
    const env = new RecordVideo(make('Pendulum-v1', { renderMode: 'rgb_array' }), {
      videoFolder: folder,
      stepTrigger: (s) => s === 2,
      videoLength: 4,
      namePrefix: 'pend',
      format: 'png',
    });
    env.reset({ seed: 1 });
    for (let i = 0; i < 10; i++) env.step(new Float32Array([1]));
    expect(env.videos).toEqual([join(folder, 'pend-step-2')]);
    const files = readdirSync(env.videos[0]).sort();
    expect(files).toEqual(['frame-000000.png', 'frame-000001.png', 'frame-000002.png', 'frame-000003.png']);
    expect(decodePng(readFileSync(join(env.videos[0], files[0]))).width).toBe(500);
    env.close();
    expect(existsSync(join(folder, 'pend-episode-0'))).toBe(false); // no episode trigger given
  });

  it('needs renderMode rgb_array and valid options', () => {
    const videoFolder = join(root, 'unused');
    expect(() => new RecordVideo(make('CartPole-v1'), { videoFolder })).toThrow(
      /RecordVideo: the env's renderMode is undefined, but recording needs 'rgb_array'/,
    );
    expect(() => new RecordVideo(make('CartPole-v1', { renderMode: 'svg' }), { videoFolder })).toThrow(
      RangeError,
    );
    const env = make('CartPole-v1', { renderMode: 'rgb_array' });
    expect(() => new RecordVideo(env, { videoFolder, videoLength: -1 })).toThrow(/videoLength/);
    expect(() => new RecordVideo(env, { videoFolder, format: 'mp4' as never })).toThrow(/format/);
    expect(() => new RecordVideo(env, { videoFolder: '' })).toThrow(/videoFolder/);
    expect(() => new RecordVideo(env, { videoFolder, episodeTrigger: 1 as never })).toThrow(/episodeTrigger/);
  });

  it('defaults to the capped cubic schedule', () => {
    const hits = Array.from({ length: 1001 }, (_, i) => i).filter(cappedCubicVideoSchedule);
    expect(hits.slice(0, 5)).toEqual([0, 1, 8, 27, 64]);
    expect(hits.at(-1)).toBe(1000);
    expect(cappedCubicVideoSchedule(2000)).toBe(true);
    expect(cappedCubicVideoSchedule(1728)).toBe(false);
  });
});
