/**
 * `RecordVideo`: records episodes rendered in `'rgb_array'` mode as animated GIFs (or PNG frames).
 *
 * Source: Gymnasium 1.x, `gymnasium/wrappers/rendering.py` (`RecordVideo`) and
 * `gymnasium/utils/save_video.py` (`capped_cubic_video_schedule`). Gymnasium writes MP4 through
 * moviepy; Proximal writes GIF (`gifenc`) or PNG frames (`fast-png`), with the same triggers,
 * file names and start/stop rules.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { assertRgbaFrame } from '../rendering/frame.js';
import { GifWriter } from '../rendering/gif.js';
import { savePngFrames } from '../rendering/png.js';
import { formatValue } from '../utils/format.js';
import { Wrapper } from './wrapper.js';

/**
 * Gymnasium's default episode trigger: true for the perfect cubes 0, 1, 8, 27, …, 729 and then for
 * every 1000th episode.
 * @param episodeId the episode's index, from 0.
 */
export function cappedCubicVideoSchedule(episodeId: number): boolean {
  if (episodeId < 1000) return Math.round(Math.cbrt(episodeId)) ** 3 === episodeId;
  return episodeId % 1000 === 0;
}

/** Options of {@link RecordVideo}. */
export interface RecordVideoOptions {
  /** The folder the videos are written to (created if needed; files of the same names are overwritten). */
  videoFolder: string;
  /**
   * Starts a recording at the reset that begins episode `episodeId` (from 0) when it returns true.
   * Default: {@link cappedCubicVideoSchedule}, unless `stepTrigger` is given.
   */
  episodeTrigger?: (episodeId: number) => boolean;
  /** Starts a recording at step `stepId` (counted from 0 over all episodes) when it returns true. */
  stepTrigger?: (stepId: number) => boolean;
  /**
   * Frames per video: 0 (default) records whole episodes (a recording ends at the next `reset()`
   * or at `close()`); n > 0 records exactly n frames, possibly across episodes (Gymnasium's
   * `len(frames) > video_length` test keeps n + 1).
   */
  videoLength?: number;
  /** File name prefix (default `'rl-video'`): `<prefix>-episode-<id>.gif` or `<prefix>-step-<id>.gif`. */
  namePrefix?: string;
  /** Frames per second of the GIF (default `metadata.renderFps`, else 30). */
  fps?: number;
  /**
   * `'gif'` (default): one animated GIF per video; `'png'`: one folder per video holding
   * `frame-000000.png`, `frame-000001.png`, …
   */
  format?: 'gif' | 'png';
}

/**
 * Records videos of episodes from an env created with `renderMode: 'rgb_array'`: after each
 * `reset()` and `step()` of a recording it calls `render()` and appends the frame. Frames are
 * compressed as they come (GIF) or written at once (PNG), so long episodes do not accumulate raw
 * pixels. A video is written when its recording stops: at the next `reset()` (whole-episode
 * videos), after `videoLength` frames, or at `close()`.
 *
 * @example
 * const env = new RecordVideo(make('CartPole-v1', { renderMode: 'rgb_array' }), {
 *   videoFolder: 'videos', episodeTrigger: (e) => e % 10 === 0,
 * });
 */
export class RecordVideo<O = Float32Array, A = number | Float32Array> extends Wrapper<O, A> {
  /** Absolute path of the folder the videos are written to. */
  readonly videoFolder: string;
  /** Frames per second of the GIFs. */
  readonly fps: number;
  /** File name prefix. */
  readonly namePrefix: string;
  /** `'gif'` or `'png'`. */
  readonly format: 'gif' | 'png';
  /** Frames per video (Infinity = whole episodes). */
  readonly videoLength: number;
  /** Paths of the videos written so far (GIF files, or PNG folders), oldest first. */
  readonly videos: string[] = [];
  private readonly episodeTrigger: ((episodeId: number) => boolean) | undefined;
  private readonly stepTrigger: ((stepId: number) => boolean) | undefined;
  private episodeId = -1;
  private stepId = -1;
  private videoName: string | undefined;
  private gif: GifWriter | undefined;
  private pngCount = 0;
  private frames = 0;

  /**
   * @param env the env to record; its `renderMode` must be `'rgb_array'`.
   * @param options see {@link RecordVideoOptions}.
   * @throws RangeError when `env.renderMode` is not `'rgb_array'` (naming `renderMode`), or for a bad
   *   `videoLength`, `fps` or `format`; TypeError when `videoFolder` or `namePrefix` is not a string
   *   or a trigger is not a function.
   */
  constructor(env: Env<O, A>, options: RecordVideoOptions) {
    super(env);
    if (env.renderMode !== 'rgb_array') {
      throw new RangeError(
        `RecordVideo: the env's renderMode is ${formatValue(env.renderMode)}, but recording needs 'rgb_array'; ` +
          `create it with e.g. make('CartPole-v1', { renderMode: 'rgb_array' })`,
      );
    }
    if (typeof options?.videoFolder !== 'string' || options.videoFolder === '') {
      throw new TypeError(
        `RecordVideo: videoFolder must be a folder path, got ${formatValue(options?.videoFolder)}`,
      );
    }
    for (const key of ['episodeTrigger', 'stepTrigger'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'function') {
        throw new TypeError(`RecordVideo: ${key} must be a function, got ${formatValue(options[key])}`);
      }
    }
    const length = options.videoLength ?? 0;
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(
        `RecordVideo: videoLength must be a non-negative integer, got ${formatValue(length)}`,
      );
    }
    const fps = options.fps ?? env.metadata.renderFps ?? 30;
    if (typeof fps !== 'number' || !Number.isFinite(fps) || fps <= 0) {
      throw new RangeError(`RecordVideo: fps must be a positive number, got ${formatValue(fps)}`);
    }
    const format = options.format ?? 'gif';
    if (format !== 'gif' && format !== 'png') {
      throw new RangeError(`RecordVideo: format must be 'gif' or 'png', got ${formatValue(format)}`);
    }
    const prefix = options.namePrefix ?? 'rl-video';
    if (typeof prefix !== 'string' || /[/\\\0]/.test(prefix)) {
      throw new TypeError(`RecordVideo: namePrefix must be a file-name string, got ${formatValue(prefix)}`);
    }
    this.episodeTrigger =
      options.episodeTrigger ?? (options.stepTrigger === undefined ? cappedCubicVideoSchedule : undefined);
    this.stepTrigger = options.stepTrigger;
    this.videoLength = length === 0 ? Number.POSITIVE_INFINITY : length;
    this.fps = fps;
    this.format = format;
    this.namePrefix = prefix;
    this.videoFolder = resolve(options.videoFolder);
    mkdirSync(this.videoFolder, { recursive: true });
  }

  /** Whether a recording is in progress. */
  get recording(): boolean {
    return this.videoName !== undefined;
  }

  /** Forwards; ends a whole-episode recording, and starts one when `episodeTrigger` says so. */
  override reset(options?: ResetOptions): ResetResult<O> {
    const result = this.env.reset(options);
    this.episodeId += 1;
    if (this.recording && this.videoLength === Number.POSITIVE_INFINITY) this.stopRecording();
    if (this.episodeTrigger?.(this.episodeId))
      this.startRecording(`${this.namePrefix}-episode-${this.episodeId}`);
    if (this.recording) this.captureFrame();
    return result;
  }

  /** Forwards; starts a recording when `stepTrigger` says so, and records the new frame. */
  override step(action: A): StepResult<O> {
    const result = this.env.step(action);
    this.stepId += 1;
    if (this.stepTrigger?.(this.stepId)) this.startRecording(`${this.namePrefix}-step-${this.stepId}`);
    if (this.recording) this.captureFrame();
    return result;
  }

  /** Closes the wrapped env, then writes the recording in progress. */
  override close(): void {
    super.close();
    if (this.recording) this.stopRecording();
  }

  /**
   * Starts recording into a video named `name` (ending the one in progress first).
   * @param name the file name without extension.
   */
  startRecording(name: string): void {
    if (this.recording) this.stopRecording();
    this.videoName = name;
    this.frames = 0;
    this.pngCount = 0;
    this.gif = this.format === 'gif' ? new GifWriter({ fps: this.fps }) : undefined;
  }

  /**
   * Ends the recording in progress and writes it (nothing is written when it has no frame).
   * @returns the GIF file or PNG folder written, or undefined when nothing was.
   * @throws Error when no recording is in progress.
   */
  stopRecording(): string | undefined {
    const name = this.videoName;
    if (name === undefined)
      throw new Error('RecordVideo: stopRecording() called, but no recording is in progress');
    this.videoName = undefined;
    let path: string | undefined;
    if (this.frames > 0) {
      if (this.gif !== undefined) {
        path = join(this.videoFolder, `${name}.gif`);
        writeFileSync(path, this.gif.finish());
      } else {
        path = join(this.videoFolder, name);
      }
      this.videos.push(path);
    }
    this.gif = undefined;
    return path;
  }

  private captureFrame(): void {
    const frame = this.env.render?.();
    assertRgbaFrame(frame, `RecordVideo: render() of ${String(this.env)}`);
    if (this.gif !== undefined) this.gif.addFrame(frame);
    else {
      savePngFrames([frame], join(this.videoFolder, this.videoName as string), { startIndex: this.pngCount });
      this.pngCount += 1;
    }
    this.frames += 1;
    if (this.frames >= this.videoLength) this.stopRecording();
  }
}
