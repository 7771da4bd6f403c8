/**
 * PNG encoding of rendered frames.
 *
 * Source: `fast-png` (https://github.com/image-js/fast-png, pure JavaScript PNG encoder/decoder).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { formatValue } from '../utils/format.js';
import { assertRgbaFrame, type RgbaFrame } from './frame.js';

/**
 * Encodes one frame as an 8-bit RGBA PNG.
 * @param frame the image.
 * @returns the PNG file's bytes.
 * @throws TypeError when `frame` is not an {@link RgbaFrame}.
 */
export function encodePng(frame: RgbaFrame): Uint8Array {
  assertRgbaFrame(frame, 'encodePng: frame');
  return encode({ width: frame.width, height: frame.height, data: frame.data, channels: 4, depth: 8 });
}

/** Options of {@link savePngFrames}. */
export interface PngFramesOptions {
  /** File name prefix (default `'frame'`): files are `<prefix>-<index, 6 digits>.png`. */
  prefix?: string;
  /** Index of the first frame in the file names (default 0), a non-negative integer. */
  startIndex?: number;
}

/**
 * Writes each frame as a PNG file `<dir>/<prefix>-000000.png`, `-000001.png`, … (synchronously;
 * `dir` is created if needed, existing files of the same names are overwritten).
 * @param frames the frames in order; any iterable (each is encoded and written as it comes).
 * @param dir the folder.
 * @param options see {@link PngFramesOptions}.
 * @returns the paths written, in order.
 * @throws TypeError when a frame is not an {@link RgbaFrame} or `prefix` is not a plain file-name
 *   string; RangeError for a bad `startIndex`; the `fs` error when a file cannot be written.
 */
export function savePngFrames(
  frames: Iterable<RgbaFrame>,
  dir: string,
  options: PngFramesOptions = {},
): string[] {
  const prefix = options.prefix ?? 'frame';
  if (typeof prefix !== 'string' || /[/\\\0]/.test(prefix)) {
    throw new TypeError(
      `savePngFrames: prefix must be a file-name string without slashes, got ${formatValue(prefix)}`,
    );
  }
  const start = options.startIndex ?? 0;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new RangeError(
      `savePngFrames: startIndex must be a non-negative integer, got ${formatValue(start)}`,
    );
  }
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  let i = start;
  for (const frame of frames) {
    const path = join(dir, `${prefix}-${String(i).padStart(6, '0')}.png`);
    writeFileSync(path, encodePng(frame));
    paths.push(path);
    i += 1;
  }
  return paths;
}
