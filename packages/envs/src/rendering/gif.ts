/**
 * Animated GIF encoding of rendered frames.
 *
 * Source: `gifenc` (https://github.com/mattdesl/gifenc: PnnQuant colour quantization and LZW GIF89a
 * encoding). Each frame gets its own palette of up to 256 colours (the first one is the global
 * colour table), so flat classic-control pictures keep their exact colours.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as gifencModule from 'gifenc';
import { formatValue } from '../utils/format.js';
import { assertRgbaFrame, type RgbaFrame } from './frame.js';

/** Options of {@link GifWriter}, {@link encodeGif} and {@link saveGif}. */
export interface GifOptions {
  /**
   * Frames per second, a positive number (default 30). GIF stores frame delays in whole
   * hundredths of a second, so the delay is `round(100 / fps)` centiseconds (e.g. 50 fps → 2 cs,
   * 30 fps → 3 cs ≈ 33.3 fps). Pass the env's `metadata.renderFps` to play in real time.
   */
  fps?: number;
  /** How often the animation repeats: 0 (default) forever, −1 plays once, n > 0 repeats n times. */
  loop?: number;
  /** Largest palette size per frame, an integer in [2, 256] (default 256). */
  maxColors?: number;
}

type Gifenc = Pick<typeof gifencModule, 'GIFEncoder' | 'quantize' | 'applyPalette'>;

/**
 * gifenc's functions: named exports under ESM resolution (its `module` build, used by bundlers and
 * Vite), properties of the CommonJS `default` export under Node's own resolution (its `main` build).
 */
const gifenc: Gifenc =
  typeof gifencModule.GIFEncoder === 'function' ? gifencModule : (gifencModule.default as unknown as Gifenc);

function readOptions(options: GifOptions): { delayMs: number; loop: number; maxColors: number } {
  const fps = options.fps ?? 30;
  if (typeof fps !== 'number' || !Number.isFinite(fps) || fps <= 0) {
    throw new RangeError(`GIF: fps must be a positive number, got ${formatValue(fps)}`);
  }
  const loop = options.loop ?? 0;
  if (!Number.isSafeInteger(loop) || loop < -1 || loop > 65535) {
    throw new RangeError(`GIF: loop must be an integer in [-1, 65535], got ${formatValue(loop)}`);
  }
  const maxColors = options.maxColors ?? 256;
  if (!Number.isSafeInteger(maxColors) || maxColors < 2 || maxColors > 256) {
    throw new RangeError(`GIF: maxColors must be an integer in [2, 256], got ${formatValue(maxColors)}`);
  }
  return { delayMs: 1000 / fps, loop, maxColors };
}

/**
 * Builds an animated GIF one frame at a time, keeping only the compressed bytes (a 600x400 frame
 * takes a few kilobytes instead of the 960 kB of its pixels).
 *
 * @example
 * const gif = new GifWriter({ fps: env.metadata.renderFps });
 * gif.addFrame(env.render() as RgbaFrame);
 * writeFileSync('episode.gif', gif.finish());
 */
export class GifWriter {
  private readonly encoder = gifenc.GIFEncoder();
  private readonly delayMs: number;
  private readonly loop: number;
  private readonly maxColors: number;
  private width = 0;
  private height = 0;
  private count = 0;
  private finished = false;

  /**
   * @param options see {@link GifOptions}.
   * @throws RangeError naming the option when `fps`, `loop` or `maxColors` is invalid.
   */
  constructor(options: GifOptions = {}) {
    const o = readOptions(options);
    this.delayMs = o.delayMs;
    this.loop = o.loop;
    this.maxColors = o.maxColors;
  }

  /** Number of frames added so far. */
  get frameCount(): number {
    return this.count;
  }

  /**
   * Quantizes `frame` to at most `maxColors` colours and appends it (alpha is ignored).
   * @param frame an {@link RgbaFrame} of the same size as the first frame.
   * @throws TypeError when `frame` is not an `RgbaFrame`; RangeError when its size differs from
   *   the first frame's; Error after {@link finish}.
   */
  addFrame(frame: RgbaFrame): void {
    if (this.finished) throw new Error('GifWriter: addFrame() called after finish()');
    assertRgbaFrame(frame, 'GifWriter.addFrame: frame');
    if (this.count === 0) {
      this.width = frame.width;
      this.height = frame.height;
    } else if (frame.width !== this.width || frame.height !== this.height) {
      throw new RangeError(
        `GifWriter.addFrame: frame ${this.count} is ${frame.width}x${frame.height}, but the GIF is ${this.width}x${this.height}`,
      );
    }
    const palette = gifenc.quantize(frame.data, this.maxColors, { format: 'rgb565' });
    const index = gifenc.applyPalette(frame.data, palette, 'rgb565');
    this.encoder.writeFrame(index, frame.width, frame.height, {
      palette,
      delay: this.delayMs,
      repeat: this.loop,
    });
    this.count += 1;
  }

  /**
   * Ends the GIF.
   * @returns the GIF file's bytes (a new array).
   * @throws Error when no frame was added, or when called twice.
   */
  finish(): Uint8Array {
    if (this.finished) throw new Error('GifWriter: finish() called twice');
    if (this.count === 0) throw new Error('GifWriter: cannot finish a GIF without frames; add a frame first');
    this.finished = true;
    this.encoder.finish();
    return this.encoder.bytes();
  }
}

/**
 * Encodes frames as an animated GIF in memory.
 * @param frames the frames in order, all of the same size (e.g. `env.render()` results in
 *   `'rgb_array'` mode); any iterable.
 * @param options see {@link GifOptions} (default 30 fps, looping forever).
 * @returns the GIF file's bytes.
 * @throws TypeError when a frame is not an `RgbaFrame`; RangeError for frames of different sizes or
 *   a bad option; Error when `frames` is empty.
 */
export function encodeGif(frames: Iterable<RgbaFrame>, options: GifOptions = {}): Uint8Array {
  const writer = new GifWriter(options);
  for (const frame of frames) writer.addFrame(frame);
  if (writer.frameCount === 0) throw new Error('encodeGif: frames is empty; a GIF needs at least one frame');
  return writer.finish();
}

/**
 * Writes frames as an animated GIF file (synchronously; parent folders are created).
 * @param frames the frames in order, all of the same size.
 * @param path the file to write (conventionally ending in `.gif`); overwritten if it exists.
 * @param options see {@link GifOptions}; default 30 fps, looping forever.
 * @throws as {@link encodeGif}; the `fs` error when the file cannot be written.
 */
export function saveGif(frames: Iterable<RgbaFrame>, path: string, options: GifOptions = {}): void {
  const bytes = encodeGif(frames, options);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}
