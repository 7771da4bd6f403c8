/**
 * A small TensorBoard event-file writer and reader: the few protobuf messages TensorBoard needs for
 * scalars, and TFRecord framing.
 *
 * Messages (field numbers from tensorflow/core/util/event.proto and framework/summary.proto):
 * ```
 * Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
 * Summary { repeated Value value = 1; }
 * Value   { string tag = 1; float simple_value = 2; }
 * ```
 * TFRecord record: `uint64 length (LE) | uint32 maskedCrc32c(length bytes) | data | uint32 maskedCrc32c(data)`.
 */

import { readFileSync } from 'node:fs';
import { maskedCrc32c } from './crc32c.js';

/** One scalar of a summary: a tag such as `rollout/ep_rew_mean` and its float32 value. */
export interface TensorBoardScalar {
  tag: string;
  simpleValue: number;
}

/** An Event message, restricted to the fields this package writes. */
export interface TensorBoardEvent {
  /** Seconds since the Unix epoch (float64). */
  wallTime: number;
  /** Global step (int64; here a safe JavaScript integer). */
  step: number;
  /** Set on the first event of a file: `brain.Event:2`. */
  fileVersion?: string;
  /** Scalar summaries of this step (float32 values). */
  scalars: TensorBoardScalar[];
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** Growable byte sink for protobuf encoding. */
class ByteWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Unsigned LEB128 of a 64-bit value; negative numbers become their two's complement (10 bytes). */
  varint(value: bigint | number): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  double(field: number, value: number): void {
    this.tag(field, WIRE_FIXED64);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.bytes(b);
  }

  float(field: number, value: number): void {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.bytes(b);
  }

  lengthDelimited(field: number, payload: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.varint(payload.length);
    this.bytes(payload);
  }

  string(field: number, value: string): void {
    this.lengthDelimited(field, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/**
 * Encodes an Event message to protobuf bytes.
 * @throws RangeError when `step` is not a safe integer.
 */
export function encodeEvent(event: TensorBoardEvent): Uint8Array {
  if (!Number.isSafeInteger(event.step))
    throw new RangeError(`step must be a safe integer, got ${event.step}`);
  const w = new ByteWriter();
  w.double(1, event.wallTime);
  if (event.step !== 0) {
    w.tag(2, WIRE_VARINT);
    w.varint(event.step);
  }
  if (event.fileVersion !== undefined) w.string(3, event.fileVersion);
  if (event.scalars.length > 0) {
    const summary = new ByteWriter();
    for (const s of event.scalars) {
      const value = new ByteWriter();
      value.string(1, s.tag);
      value.float(2, s.simpleValue);
      summary.lengthDelimited(1, value.finish());
    }
    w.lengthDelimited(5, summary.finish());
  }
  return w.finish();
}

/** Wraps one record's bytes in TFRecord framing (length, masked CRCs). */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** One record read back from a TFRecord stream. */
export interface TfRecord {
  /** Byte offset of the record's header in the stream. */
  offset: number;
  data: Uint8Array;
  /** Whether the masked CRC of the 8 length bytes matched. */
  lengthCrcOk: boolean;
  /** Whether the masked CRC of the data matched. */
  dataCrcOk: boolean;
}

/**
 * Splits a TFRecord stream into records and checks both CRCs of each.
 * A truncated final record (a crash mid-write) is left out and reported in `truncatedAt`.
 */
export function readTfRecords(bytes: Uint8Array): { records: TfRecord[]; truncatedAt?: number } {
  const records: TfRecord[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + 12 > bytes.length) return { records, truncatedAt: pos };
    const length = Number(view.getBigUint64(pos, true));
    const end = pos + 12 + length + 4;
    if (end > bytes.length) return { records, truncatedAt: pos };
    const lengthCrcOk = view.getUint32(pos + 8, true) === maskedCrc32c(bytes.subarray(pos, pos + 8));
    const data = bytes.subarray(pos + 12, pos + 12 + length);
    const dataCrcOk = view.getUint32(pos + 12 + length, true) === maskedCrc32c(data);
    records.push({ offset: pos, data, lengthCrcOk, dataCrcOk });
    pos = end;
  }
  return { records };
}

/** Minimal protobuf reader: iterates fields, skipping the wire types it does not need. */
class ByteReader {
  pos = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new RangeError('protobuf: truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  fixed(n: 4 | 8): number {
    if (this.pos + n > this.buf.length) throw new RangeError('protobuf: truncated fixed field');
    const v = n === 8 ? this.view.getFloat64(this.pos, true) : this.view.getFloat32(this.pos, true);
    this.pos += n;
    return v;
  }

  lengthDelimited(): Uint8Array {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new RangeError('protobuf: truncated length-delimited field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_FIXED64) this.pos += 8;
    else if (wire === WIRE_LEN) this.lengthDelimited();
    else if (wire === WIRE_FIXED32) this.pos += 4;
    else throw new RangeError(`protobuf: unsupported wire type ${wire}`);
  }

  *fields(): Generator<{ field: number; wire: number }> {
    while (!this.done) {
      const key = Number(this.varint());
      yield { field: key >>> 3, wire: key & 7 };
    }
  }
}

/**
 * Decodes an Event message (the fields listed in {@link TensorBoardEvent}; others are skipped).
 * @throws RangeError on malformed protobuf.
 */
export function decodeEvent(bytes: Uint8Array): TensorBoardEvent {
  const r = new ByteReader(bytes);
  const event: TensorBoardEvent = { wallTime: 0, step: 0, scalars: [] };
  for (const { field, wire } of r.fields()) {
    if (field === 1 && wire === WIRE_FIXED64) event.wallTime = r.fixed(8);
    else if (field === 2 && wire === WIRE_VARINT) event.step = Number(BigInt.asIntN(64, r.varint()));
    else if (field === 3 && wire === WIRE_LEN)
      event.fileVersion = new TextDecoder().decode(r.lengthDelimited());
    else if (field === 5 && wire === WIRE_LEN) {
      const summary = new ByteReader(r.lengthDelimited());
      for (const s of summary.fields()) {
        if (s.field !== 1 || s.wire !== WIRE_LEN) {
          summary.skip(s.wire);
          continue;
        }
        const value = new ByteReader(summary.lengthDelimited());
        const scalar: TensorBoardScalar = { tag: '', simpleValue: Number.NaN };
        let hasValue = false;
        for (const v of value.fields()) {
          if (v.field === 1 && v.wire === WIRE_LEN)
            scalar.tag = new TextDecoder().decode(value.lengthDelimited());
          else if (v.field === 2 && v.wire === WIRE_FIXED32) {
            scalar.simpleValue = value.fixed(4);
            hasValue = true;
          } else value.skip(v.wire);
        }
        if (hasValue) event.scalars.push(scalar);
      }
    } else r.skip(wire);
  }
  return event;
}

/**
 * Reads a TensorBoard event file written by {@link Logger} (or TensorFlow) and decodes its events.
 * @returns the events in file order, and how many records had a bad CRC or were truncated.
 * @throws the file-system error when the file cannot be read.
 */
export function readTensorBoardEvents(path: string): {
  events: TensorBoardEvent[];
  badCrcRecords: number;
  truncated: boolean;
} {
  const { records, truncatedAt } = readTfRecords(readFileSync(path));
  let badCrcRecords = 0;
  const events: TensorBoardEvent[] = [];
  for (const rec of records) {
    if (!rec.lengthCrcOk || !rec.dataCrcOk) {
      badCrcRecords++;
      continue;
    }
    events.push(decodeEvent(rec.data));
  }
  return { events, badCrcRecords, truncated: truncatedAt !== undefined };
}
