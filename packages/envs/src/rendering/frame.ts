/**
 * `RgbaFrame`: the pixel buffer returned by `render()` in the `'rgb_array'` render mode.
 *
 * Source: Proximal. Gymnasium 1.x returns an `(height, width, 3)` uint8 numpy array for
 * `render_mode="rgb_array"`; Proximal returns the same pixels as RGBA (alpha always 255 for the
 * classic-control envs), which is the layout of the browser's `ImageData` and of every image encoder.
 */
import { formatValue } from '../utils/format.js';

/**
 * An RGBA image, row-major from the top-left pixel: the pixel at column `x`, row `y` is
 * `data[4 * (y * width + x) + c]` with channel `c` = 0 (red), 1 (green), 2 (blue), 3 (alpha),
 * each 0…255.
 *
 * - `width`, `height`: positive integers (pixels).
 * - `data`: `Uint8ClampedArray` of length `4 · width · height`.
 *
 * The shape is that of the DOM's `ImageData`, so `new ImageData(frame.data, frame.width,
 * frame.height)` draws a frame on a canvas, and an `ImageData` from `getImageData()` can be passed
 * wherever an `RgbaFrame` is expected (e.g. {@link encodeGif}).
 */
export interface RgbaFrame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/**
 * Whether `x` is a well-formed {@link RgbaFrame}: positive integer `width` and `height` and a
 * `Uint8ClampedArray` `data` of length `4 · width · height`.
 */
export function isRgbaFrame(x: unknown): x is RgbaFrame {
  if (x === null || typeof x !== 'object') return false;
  const f = x as Partial<RgbaFrame>;
  return (
    Number.isSafeInteger(f.width) &&
    (f.width as number) > 0 &&
    Number.isSafeInteger(f.height) &&
    (f.height as number) > 0 &&
    f.data instanceof Uint8ClampedArray &&
    f.data.length === 4 * (f.width as number) * (f.height as number)
  );
}

/**
 * Checks that `frame` is a well-formed {@link RgbaFrame}.
 * @param frame the value to check.
 * @param what how the value is named in the message (e.g. `'frames[3]'`).
 * @throws TypeError naming `what` and describing the value when it is not an `RgbaFrame`.
 */
export function assertRgbaFrame(frame: unknown, what: string): asserts frame is RgbaFrame {
  if (isRgbaFrame(frame)) return;
  const f = frame as Partial<RgbaFrame> | null | undefined;
  const detail =
    f !== null && typeof f === 'object'
      ? `width ${formatValue(f.width)}, height ${formatValue(f.height)}, data ${formatValue(f.data)}`
      : formatValue(frame);
  throw new TypeError(
    `${what} must be an RgbaFrame { width, height, data: Uint8ClampedArray(4 * width * height) }, got ${detail}`,
  );
}

/**
 * The RGBA colour of one pixel.
 * @param frame the image.
 * @param x column, integer in [0, width).
 * @param y row from the top, integer in [0, height).
 * @returns `[red, green, blue, alpha]`, each 0…255.
 * @throws RangeError when (x, y) is outside the image or not integral.
 */
export function framePixel(frame: RgbaFrame, x: number, y: number): [number, number, number, number] {
  if (
    !Number.isInteger(x) ||
    !Number.isInteger(y) ||
    x < 0 ||
    y < 0 ||
    x >= frame.width ||
    y >= frame.height
  ) {
    throw new RangeError(
      `framePixel: (x, y) = (${formatValue(x)}, ${formatValue(y)}) is outside the ${frame.width}x${frame.height} frame`,
    );
  }
  const i = 4 * (y * frame.width + x);
  const d = frame.data;
  return [d[i], d[i + 1], d[i + 2], d[i + 3]];
}
