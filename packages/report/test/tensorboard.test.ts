import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  crc32c,
  decodeEvent,
  encodeEvent,
  frameRecord,
  Logger,
  maskedCrc32c,
  readTensorBoardEvents,
  readTfRecords,
} from '../src/index.js';
import { tempDir } from './helpers.js';

// The messages of tensorflow/core/util/event.proto and framework/summary.proto that matter here,
// decoded by protobufjs as an independent check of our hand-written encoder.
const PROTO = `
syntax = "proto3";
package tensorflow;
message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what { string file_version = 3; bytes graph_def = 4; Summary summary = 5; }
}
message Summary {
  message Value { string node_name = 7; string tag = 1; oneof value { float simple_value = 2; bytes image = 4; } }
  repeated Value value = 1;
}
`;
const EventType = protobuf.parse(PROTO).root.lookupType('tensorflow.Event');

/** The TFRecord mask written out step by step with BigInt, independent of the implementation. */
function maskByHand(crc: number): number {
  const c = BigInt(crc);
  const rotated = ((c >> 15n) | (c << 17n)) & 0xffffffffn;
  return Number((rotated + 0xa282ead8n) & 0xffffffffn);
}

describe('CRC-32C', () => {
  it('matches the standard check value and RFC 3720 vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // 32 bytes of 0x00
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43); // 32 bytes of 0xff
  });

  it('masks as TFRecord does', () => {
    expect(maskedCrc32c(Buffer.from('123456789'))).toBe(maskByHand(0xe3069283));
  });
});

describe('TFRecord framing', () => {
  it('frames length, masked CRCs and data', () => {
    const data = Buffer.from('hello tensorboard');
    const rec = Buffer.from(frameRecord(data));
    expect(rec.length).toBe(8 + 4 + data.length + 4);
    expect(rec.readBigUInt64LE(0)).toBe(BigInt(data.length));
    expect(rec.readUInt32LE(8)).toBe(maskByHand(crc32c(rec.subarray(0, 8))));
    expect(rec.subarray(12, 12 + data.length).equals(data)).toBe(true);
    expect(rec.readUInt32LE(12 + data.length)).toBe(maskByHand(crc32c(data)));
  });

  it('reports a truncated final record and bad CRCs', () => {
    const a = frameRecord(Buffer.from('first'));
    const b = frameRecord(Buffer.from('second'));
    const stream = Buffer.concat([a, b.subarray(0, b.length - 3)]);
    const { records, truncatedAt } = readTfRecords(stream);
    expect(records).toHaveLength(1);
    expect(truncatedAt).toBe(a.length);
    const corrupt = Buffer.from(a);
    corrupt[13] ^= 1;
    const [bad] = readTfRecords(corrupt).records;
    expect(bad.lengthCrcOk).toBe(true);
    expect(bad.dataCrcOk).toBe(false);
  });
});

describe('Event encoding', () => {
  it('decodes with an independent protobuf implementation', () => {
    const bytes = encodeEvent({
      wallTime: 1732147200.25,
      step: 123456789012,
      scalars: [
        { tag: 'rollout/ep_rew_mean', simpleValue: 22.5 },
        { tag: 'train/approx_kl', simpleValue: Number.NaN },
      ],
    });
    const msg = EventType.toObject(EventType.decode(bytes), { longs: Number }) as {
      wallTime: number;
      step: number;
      summary: { value: { tag: string; simpleValue: number }[] };
    };
    expect(msg.wallTime).toBe(1732147200.25);
    expect(msg.step).toBe(123456789012);
    expect(msg.summary.value.map((v) => v.tag)).toEqual(['rollout/ep_rew_mean', 'train/approx_kl']);
    expect(msg.summary.value[0].simpleValue).toBe(22.5);
    expect(msg.summary.value[1].simpleValue).toBeNaN();
    // Our own decoder agrees.
    const own = decodeEvent(bytes);
    expect(own.step).toBe(123456789012);
    expect(own.scalars[0]).toEqual({ tag: 'rollout/ep_rew_mean', simpleValue: 22.5 });
  });

  it('encodes the file-version event byte for byte', () => {
    const bytes = Buffer.from(
      encodeEvent({ wallTime: 1, step: 0, fileVersion: 'brain.Event:2', scalars: [] }),
    );
    // field 1 (fixed64) = 1.0, field 3 (length-delimited) = "brain.Event:2"
    const expected = Buffer.concat([
      Buffer.from([0x09]),
      Buffer.from(new Float64Array([1]).buffer),
      Buffer.from([0x1a, 13]),
      Buffer.from('brain.Event:2'),
    ]);
    expect(bytes.equals(expected)).toBe(true);
  });
});

describe('Logger tensorboard format', () => {
  it('writes an events file TensorBoard can read', async () => {
    const dir = tempDir();
    const before = Date.now() / 1000;
    const logger = new Logger(dir, { formats: ['tensorboard'] });
    logger.record(2048, { 'rollout/ep_rew_mean': 21.5, 'train/value_loss': 0.125 });
    logger.onIterationEnd({
      numTimesteps: 4096,
      metrics: { 'rollout/ep_rew_mean': 30, 'train/value_loss': Number.NaN },
    });
    await logger.close();

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(
      new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${hostname().replace(/\./g, '\\.')}$`),
    );
    expect(logger.tensorboardPath).toBe(join(dir, files[0]));

    const raw = readFileSync(join(dir, files[0]));
    const { records, truncatedAt } = readTfRecords(raw);
    expect(truncatedAt).toBeUndefined();
    expect(records).toHaveLength(3);
    let offset = 0;
    for (const rec of records) {
      // Length and both CRCs checked by hand against the raw bytes.
      const len = Number(raw.readBigUInt64LE(offset));
      expect(len).toBe(rec.data.length);
      expect(raw.readUInt32LE(offset + 8)).toBe(maskByHand(crc32c(raw.subarray(offset, offset + 8))));
      expect(raw.readUInt32LE(offset + 12 + len)).toBe(
        maskByHand(crc32c(raw.subarray(offset + 12, offset + 12 + len))),
      );
      offset += 16 + len;
    }
    expect(offset).toBe(raw.length);

    const decoded = records.map((r) => EventType.toObject(EventType.decode(r.data), { longs: Number }));
    expect(decoded[0].fileVersion).toBe('brain.Event:2');
    expect(decoded[0].wallTime).toBeGreaterThanOrEqual(Math.floor(before));
    expect(decoded[1].step).toBe(2048);
    const values1 = Object.fromEntries(
      decoded[1].summary.value.map((v: { tag: string; simpleValue: number }) => [v.tag, v.simpleValue]),
    );
    expect(values1).toEqual({
      'rollout/ep_rew_mean': 21.5,
      'train/value_loss': 0.125,
      'time/total_timesteps': 2048,
    });
    expect(decoded[2].step).toBe(4096);

    const read = readTensorBoardEvents(join(dir, files[0]));
    expect(read.badCrcRecords).toBe(0);
    expect(read.truncated).toBe(false);
    expect(read.events[2].scalars.find((s) => s.tag === 'train/value_loss')?.simpleValue).toBeNaN();
  });

  it('leaves complete records after a crash mid-record', async () => {
    const dir = tempDir();
    const logger = new Logger(dir, { formats: ['tensorboard'] });
    logger.record(1, { a: 1 });
    const path = logger.tensorboardPath!;
    // Simulate a crash while the next record was being written.
    writeFileSync(
      path,
      Buffer.concat([readFileSync(path), frameRecord(Buffer.from('partial')).subarray(0, 10)]),
    );
    const read = readTensorBoardEvents(path);
    expect(read.events).toHaveLength(2);
    expect(read.truncated).toBe(true);
  });
});
