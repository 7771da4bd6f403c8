/**
 * The binary message format of `@proximal/distributed` (rollout batches and weight blobs):
 *
 * ```
 * bytes 0..3    magic "PXRB"
 * bytes 4..7    format version, uint32 little-endian (FORMAT_VERSION)
 * bytes 8..11   header length H in bytes, uint32 little-endian
 * bytes 12..    header: UTF-8 JSON { kind, policyVersion, workerId, batchId, fields: [{ name, dtype, shape }] }
 * then          zero padding to a multiple of 8, then each field's data in table order, each
 *               starting at a multiple of 8 (little-endian element bytes)
 * ```
 * Decoding validates everything (magic, version, sizes, the header's keys and types, each field's
 * dtype, shape and byte range, the total length) and throws a {@link MessageError} naming what is wrong.
 */

/** The four bytes every message starts with. */
export const MAGIC = 'PXRB';
/** Version of the message format; a message of another version is refused. */
export const FORMAT_VERSION = 1;
/** Default largest message accepted or produced, in bytes (64 MiB). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Largest header accepted, in bytes. */
export const MAX_HEADER_BYTES = 64 * 1024;

/** Element types a field may have. */
export type Dtype = 'float32' | 'int32' | 'uint8';
/** The typed array of a {@link Dtype}. */
export type FieldArray = Float32Array | Int32Array | Uint8Array;

const DTYPES: Record<
  Dtype,
  { ctor: Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor }
> = {
  float32: { ctor: Float32Array },
  int32: { ctor: Int32Array },
  uint8: { ctor: Uint8Array },
};

/** One array of a message: its data and its shape (the product of `shape` is `data.length`). */
export interface Field {
  data: FieldArray;
  shape: number[];
}

/** What a message carries. */
export interface Message {
  /** 'rollout' (a worker's batch) or 'weights' (the learner's parameters). */
  kind: 'rollout' | 'weights';
  /** Version of the policy that produced the rollout, or of the published weights (integer ≥ 0). */
  policyVersion: number;
  /** The sending worker's id ('' for weights). */
  workerId: string;
  /** Unique id of the batch (`<workerId>:<sequence>`; '' for weights). */
  batchId: string;
  /** Named arrays, in the order written. */
  fields: Record<string, Field>;
}

/** A message that could not be encoded or decoded; `reason` is a short machine-readable tag. */
export class MessageError extends Error {
  constructor(
    readonly reason: 'malformed' | 'oversized' | 'schema',
    message: string,
  ) {
    super(message);
    this.name = 'MessageError';
  }
}

const HEADER_KEYS = ['kind', 'policyVersion', 'workerId', 'batchId', 'fields'];
const FIELD_KEYS = ['name', 'dtype', 'shape'];
const MAX_ID_LENGTH = 256;
const MAX_FIELDS = 64;
const MAX_RANK = 8;

function dtypeOf(a: FieldArray): Dtype {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'uint8';
  throw new TypeError(`field data must be a Float32Array, Int32Array or Uint8Array, got ${typeof a}`);
}

const pad8 = (n: number) => (n + 7) & ~7;

function checkId(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_ID_LENGTH) {
    throw new MessageError(
      'malformed',
      `header.${name} must be a string of at most ${MAX_ID_LENGTH} characters, got ${typeof value === 'string' ? `${value.length} characters` : typeof value}`,
    );
  }
  return value;
}

/**
 * Encodes a message into one buffer.
 * @param maxBytes refuse to produce a message larger than this (default {@link DEFAULT_MAX_MESSAGE_BYTES}).
 * @throws TypeError for a field whose data is not a supported typed array; RangeError for a shape
 *   whose product differs from the data length or a bad policyVersion; MessageError('oversized')
 *   when the message would exceed `maxBytes`.
 */
export function encodeMessage(message: Message, maxBytes = DEFAULT_MAX_MESSAGE_BYTES): Buffer {
  if (!Number.isSafeInteger(message.policyVersion) || message.policyVersion < 0) {
    throw new RangeError(`policyVersion must be an integer ≥ 0, got ${String(message.policyVersion)}`);
  }
  const table: { name: string; dtype: Dtype; shape: number[] }[] = [];
  let dataBytes = 0;
  for (const [name, f] of Object.entries(message.fields)) {
    const dtype = dtypeOf(f.data);
    const n = f.shape.reduce((p, x) => p * x, 1);
    if (!f.shape.every((x) => Number.isInteger(x) && x >= 0) || n !== f.data.length) {
      throw new RangeError(
        `field ${name}: shape [${f.shape.join(', ')}] does not match its data length ${f.data.length}`,
      );
    }
    table.push({ name, dtype, shape: [...f.shape] });
    dataBytes += pad8(f.data.byteLength);
  }
  const header = Buffer.from(
    JSON.stringify({
      kind: message.kind,
      policyVersion: message.policyVersion,
      workerId: message.workerId,
      batchId: message.batchId,
      fields: table,
    }),
    'utf8',
  );
  const start = pad8(12 + header.length);
  const total = start + dataBytes;
  if (total > maxBytes) {
    throw new MessageError('oversized', `message of ${total} bytes exceeds the limit of ${maxBytes} bytes`);
  }
  const out = Buffer.alloc(total);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  let offset = start;
  for (const f of Object.values(message.fields)) {
    const bytes = new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength);
    out.set(bytes, offset);
    offset += pad8(f.data.byteLength);
  }
  return out;
}

/**
 * Decodes and validates a message (the inverse of {@link encodeMessage}); the arrays are fresh
 * copies, aligned, independent of `buffer`.
 * @param maxBytes refuse a message larger than this (default {@link DEFAULT_MAX_MESSAGE_BYTES}).
 * @throws MessageError('oversized') for a message over `maxBytes`; MessageError('malformed') for a
 *   wrong magic or format version, a header that is not the expected JSON, an unknown dtype, a bad
 *   shape, a field out of range or a length that disagrees with the field table.
 */
export function decodeMessage(buffer: Uint8Array, maxBytes = DEFAULT_MAX_MESSAGE_BYTES): Message {
  if (!(buffer instanceof Uint8Array)) {
    throw new MessageError('malformed', `message must be bytes (Buffer), got ${typeof buffer}`);
  }
  if (buffer.length > maxBytes) {
    throw new MessageError(
      'oversized',
      `message of ${buffer.length} bytes exceeds the limit of ${maxBytes} bytes`,
    );
  }
  if (buffer.length < 12)
    throw new MessageError('malformed', `message of ${buffer.length} bytes is too short`);
  const buf = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const magic = buf.toString('latin1', 0, 4);
  if (magic !== MAGIC) {
    throw new MessageError(
      'malformed',
      `message does not start with ${MAGIC} (got ${JSON.stringify(magic)})`,
    );
  }
  const version = buf.readUInt32LE(4);
  if (version !== FORMAT_VERSION) {
    throw new MessageError(
      'malformed',
      `message format version ${version} is not supported (expected ${FORMAT_VERSION})`,
    );
  }
  const headerLength = buf.readUInt32LE(8);
  if (headerLength > MAX_HEADER_BYTES || 12 + headerLength > buf.length) {
    throw new MessageError(
      'malformed',
      `header length ${headerLength} does not fit the message of ${buf.length} bytes (limit ${MAX_HEADER_BYTES})`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength));
  } catch (e) {
    throw new MessageError('malformed', `header is not valid JSON: ${(e as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new MessageError('malformed', 'header must be a JSON object');
  }
  for (const k of Object.keys(header)) {
    if (!HEADER_KEYS.includes(k)) throw new MessageError('malformed', `header has an unknown key '${k}'`);
  }
  const kind = header.kind;
  if (kind !== 'rollout' && kind !== 'weights') {
    throw new MessageError(
      'malformed',
      `header.kind must be 'rollout' or 'weights', got ${JSON.stringify(kind)}`,
    );
  }
  const policyVersion = header.policyVersion;
  if (typeof policyVersion !== 'number' || !Number.isSafeInteger(policyVersion) || policyVersion < 0) {
    throw new MessageError(
      'malformed',
      `header.policyVersion must be an integer ≥ 0, got ${JSON.stringify(policyVersion)}`,
    );
  }
  const workerId = checkId('workerId', header.workerId);
  const batchId = checkId('batchId', header.batchId);
  const table = header.fields;
  if (!Array.isArray(table) || table.length > MAX_FIELDS) {
    throw new MessageError('malformed', `header.fields must be an array of at most ${MAX_FIELDS} fields`);
  }
  const fields: Record<string, Field> = {};
  let offset = pad8(12 + headerLength);
  for (const [i, entry] of table.entries()) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new MessageError('malformed', `header.fields[${i}] must be an object`);
    }
    for (const k of Object.keys(entry)) {
      if (!FIELD_KEYS.includes(k))
        throw new MessageError('malformed', `header.fields[${i}] has an unknown key '${k}'`);
    }
    const { name, dtype, shape } = entry as { name: unknown; dtype: unknown; shape: unknown };
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_ID_LENGTH || name in fields) {
      throw new MessageError(
        'malformed',
        `header.fields[${i}].name must be a new non-empty string, got ${JSON.stringify(name)}`,
      );
    }
    if (typeof dtype !== 'string' || !Object.hasOwn(DTYPES, dtype)) {
      throw new MessageError(
        'malformed',
        `field ${name}: dtype must be float32, int32 or uint8, got ${JSON.stringify(dtype)}`,
      );
    }
    if (
      !Array.isArray(shape) ||
      shape.length > MAX_RANK ||
      !shape.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)
    ) {
      throw new MessageError(
        'malformed',
        `field ${name}: shape must be at most ${MAX_RANK} integers ≥ 0, got ${JSON.stringify(shape)}`,
      );
    }
    const ctor = DTYPES[dtype as Dtype].ctor;
    const count = (shape as number[]).reduce((p, x) => p * x, 1);
    const bytes = count * ctor.BYTES_PER_ELEMENT;
    if (!Number.isSafeInteger(bytes) || offset + bytes > buf.length) {
      throw new MessageError(
        'malformed',
        `field ${name} [${(shape as number[]).join(', ')}] ${dtype} needs bytes ${offset}..${offset + bytes}, but the message has ${buf.length}`,
      );
    }
    const data = new ctor(count);
    new Uint8Array(data.buffer).set(buf.subarray(offset, offset + bytes));
    fields[name] = { data, shape: shape as number[] };
    offset += pad8(bytes);
  }
  if (offset !== buf.length) {
    throw new MessageError(
      'malformed',
      `message has ${buf.length} bytes, but its field table accounts for ${offset}`,
    );
  }
  return { kind, policyVersion, workerId, batchId, fields };
}
