import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Identifies Proximal model directories. */
export const CHECKPOINT_FORMAT = 'proximal-model';
/** Newest checkpoint format this version writes and reads; older ones stay readable. */
export const CHECKPOINT_VERSION = 1;

/** One named float32 array stored in `tensors.bin`. */
export interface StoredTensor {
  name: string;
  data: Float32Array;
}

/** The files of a model directory; an existing directory holding anything else is not replaced. */
const MODEL_FILES = ['proximal.json', 'tensors.bin'];

/**
 * Writes a model directory: `proximal.json` (metadata, with a `tensors` index of names, offsets and
 * lengths) and `tensors.bin` (the float32 arrays back to back, little-endian).
 *
 * The write is atomic: both files go to a temporary sibling directory (`.<name>.tmp-<pid>-<time>`)
 * that then replaces `dir` by rename, so an interrupted write (a crash, a second Ctrl-C) never
 * leaves a half-written model in place of a good one. Replacing takes two renames (the old
 * directory moves aside to `.<name>.old-<pid>-<time>`, then is removed); a crash between them
 * leaves the old model in that sibling.
 * @throws Error when `dir` exists and holds files other than a model's (nothing is written then),
 *   or the file-system error of a failed write (the temporary directory is removed).
 */
export async function writeCheckpoint(
  dir: string,
  meta: Record<string, unknown>,
  tensors: StoredTensor[],
): Promise<void> {
  const existing = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  const foreign = existing?.filter((f) => !MODEL_FILES.includes(f)) ?? [];
  if (foreign.length > 0) {
    throw new Error(
      `cannot save a model to ${dir}: it holds other files (${foreign.slice(0, 5).join(', ')}); choose a new or model-only directory`,
    );
  }
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${Date.now()}`;
  const tmp = join(parent, `.${basename(dir)}.tmp-${tag}`);
  await mkdir(tmp);
  try {
    await writeModelFiles(tmp, meta, tensors);
    if (existing === null) {
      await rename(tmp, dir);
    } else {
      const old = join(parent, `.${basename(dir)}.old-${tag}`);
      await rename(dir, old);
      await rename(tmp, dir);
      await rm(old, { recursive: true, force: true });
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function writeModelFiles(
  dir: string,
  meta: Record<string, unknown>,
  tensors: StoredTensor[],
): Promise<void> {
  const total = tensors.reduce((s, t) => s + t.data.length, 0);
  const all = new Float32Array(total);
  const index: { name: string; offset: number; length: number }[] = [];
  let o = 0;
  for (const t of tensors) {
    all.set(t.data, o);
    index.push({ name: t.name, offset: o, length: t.data.length });
    o += t.data.length;
  }
  const json = { format: CHECKPOINT_FORMAT, formatVersion: CHECKPOINT_VERSION, ...meta, tensors: index };
  await writeFile(join(dir, 'tensors.bin'), new Uint8Array(all.buffer));
  await writeFile(join(dir, 'proximal.json'), `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * Reads a model directory written by {@link writeCheckpoint}.
 * @throws Error when `dir` holds no Proximal model, a corrupt or truncated `proximal.json` (naming
 *   the file), another algorithm's model, a newer format, or a tensors file whose size does not
 *   match its index.
 */
export async function readCheckpoint(
  dir: string,
  algorithm: string,
): Promise<{ meta: Record<string, unknown>; tensors: Map<string, Float32Array> }> {
  const file = join(dir, 'proximal.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${dir} does not hold a Proximal model (${(err as Error).message})`);
  }
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `${file} is corrupt or truncated (${(err as Error).message}); the model in ${dir} cannot be loaded`,
    );
  }
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    throw new Error(`${file} is corrupt: expected a JSON object, got ${JSON.stringify(meta)}`);
  }
  if (meta.format !== CHECKPOINT_FORMAT) {
    throw new Error(`${dir}/proximal.json is not a Proximal model (format ${String(meta.format)})`);
  }
  if (meta.algorithm !== algorithm)
    throw new Error(`${dir} holds a ${String(meta.algorithm)} model, not ${algorithm}`);
  if (typeof meta.formatVersion !== 'number' || meta.formatVersion > CHECKPOINT_VERSION) {
    throw new Error(
      `${dir} has model format version ${String(meta.formatVersion)}; this version of Proximal reads ≤ ${CHECKPOINT_VERSION}`,
    );
  }
  const buf = await readFile(join(dir, 'tensors.bin'));
  const index = meta.tensors as { name: string; offset: number; length: number }[];
  const total = index.reduce((s, t) => Math.max(s, t.offset + t.length), 0);
  if (buf.byteLength !== total * 4) {
    throw new Error(`${dir}/tensors.bin has ${buf.byteLength} bytes, expected ${total * 4}`);
  }
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const tensors = new Map(index.map((t) => [t.name, all.slice(t.offset, t.offset + t.length)]));
  return { meta, tensors };
}
