import { describe, expect, it } from 'vitest';
import {
  checkRollout,
  concatBatches,
  decodeMessage,
  encodeMessage,
  FORMAT_VERSION,
  type Message,
  MessageError,
  rolloutMessage,
} from '../src/index.js';

const T = 3;
const schema = { numSteps: T, numEnvs: 4, obsDim: 2, actionSize: 1 };

function batch(n: number, base = 0) {
  const size = T * n;
  const seq = (k: number, w = 1) => Float32Array.from({ length: k * w }, (_, i) => base + i + 0.5);
  return {
    numSteps: T,
    numEnvs: n,
    observations: seq(size, 2),
    actions: Float32Array.from({ length: size }, (_, i) => i % 2),
    rewards: seq(size),
    values: seq(size),
    nextValues: seq(size),
    logProbs: seq(size).map((x) => -x),
    terminated: Uint8Array.from({ length: size }, (_, i) => (i === 1 ? 1 : 0)),
    truncated: new Uint8Array(size),
    episodeReturns: [12.5],
    episodeLengths: [7],
  };
}

const meta = { policyVersion: 5, workerId: 'w1', batchId: 'w1:s:0' };

function rejects(fn: () => unknown, reason: string, text: string | RegExp) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MessageError);
    expect((e as MessageError).reason).toBe(reason);
    expect((e as Error).message).toMatch(text);
    return;
  }
  throw new Error('expected a MessageError');
}

describe('message codec', () => {
  it('round-trips a rollout batch exactly (header, dtypes, shapes, data)', () => {
    const b = batch(2);
    const buf = encodeMessage(rolloutMessage(b, meta));
    expect(buf.toString('latin1', 0, 4)).toBe('PXRB');
    expect(buf.readUInt32LE(4)).toBe(FORMAT_VERSION);
    const m = decodeMessage(buf);
    expect(m.policyVersion).toBe(5);
    expect(m.workerId).toBe('w1');
    expect(m.batchId).toBe('w1:s:0');
    expect(m.fields.observations.shape).toEqual([T, 2, 2]);
    expect(m.fields.episodeLengths.data).toBeInstanceOf(Int32Array);
    const r = checkRollout(m, schema);
    expect(r).toEqual({ ...meta, ...b });
  });

  it('decodes from an unaligned view (as a Redis reply buffer may be)', () => {
    const buf = encodeMessage(rolloutMessage(batch(1), meta));
    const shifted = Buffer.alloc(buf.length + 1);
    buf.copy(shifted, 1);
    expect(checkRollout(decodeMessage(shifted.subarray(1)), schema).rewards).toEqual(batch(1).rewards);
  });

  it('rejects malformed messages with a clear MessageError', () => {
    const good = encodeMessage(rolloutMessage(batch(1), meta));
    rejects(
      () => decodeMessage(Buffer.from('hello world, not a message')),
      'malformed',
      /does not start with PXRB/,
    );
    rejects(() => decodeMessage(Buffer.alloc(5)), 'malformed', /too short/);
    const v2 = Buffer.from(good);
    v2.writeUInt32LE(2, 4);
    rejects(() => decodeMessage(v2), 'malformed', 'message format version 2 is not supported (expected 1)');
    rejects(() => decodeMessage(good.subarray(0, good.length - 8)), 'malformed', /needs bytes/);
    rejects(
      () => decodeMessage(Buffer.concat([good, Buffer.alloc(8)])),
      'malformed',
      /field table accounts for/,
    );
    const badJson = Buffer.from(good);
    badJson.write('{', 12 + 1, 'utf8');
    rejects(() => decodeMessage(badJson), 'malformed', /header is not valid JSON/);
    const huge = Buffer.from(good);
    huge.writeUInt32LE(2 ** 31, 8);
    rejects(() => decodeMessage(huge), 'malformed', /header length 2147483648 does not fit/);
    const handmade = (header: object) => {
      const h = Buffer.from(JSON.stringify(header));
      const b = Buffer.alloc((12 + h.length + 7) & ~7);
      b.write('PXRB', 0, 'latin1');
      b.writeUInt32LE(1, 4);
      b.writeUInt32LE(h.length, 8);
      h.copy(b, 12);
      return b;
    };
    const base = { kind: 'rollout', policyVersion: 0, workerId: 'w', batchId: 'b', fields: [] };
    expect(decodeMessage(handmade(base)).fields).toEqual({});
    rejects(
      () => decodeMessage(handmade({ ...base, extra: 1 })),
      'malformed',
      "header has an unknown key 'extra'",
    );
    rejects(
      () => decodeMessage(handmade({ ...base, policyVersion: -1 })),
      'malformed',
      /policyVersion must be an integer ≥ 0, got -1/,
    );
    rejects(
      () => decodeMessage(handmade({ ...base, kind: 'x' })),
      'malformed',
      /kind must be 'rollout' or 'weights'/,
    );
    rejects(
      () => decodeMessage(handmade({ ...base, fields: [{ name: 'a', dtype: 'float64', shape: [0] }] })),
      'malformed',
      'field a: dtype must be float32, int32 or uint8, got "float64"',
    );
    rejects(
      () => decodeMessage(handmade({ ...base, fields: [{ name: 'a', dtype: 'uint8', shape: [-1] }] })),
      'malformed',
      /shape must be at most 8 integers ≥ 0/,
    );
  });

  it('refuses oversized messages when encoding and decoding', () => {
    const m = rolloutMessage(batch(4), meta);
    const buf = encodeMessage(m);
    rejects(() => encodeMessage(m, 100), 'oversized', /exceeds the limit of 100 bytes/);
    rejects(
      () => decodeMessage(buf, buf.length - 1),
      'oversized',
      `message of ${buf.length} bytes exceeds the limit`,
    );
  });

  it('rejects messages of the wrong schema', () => {
    const m = decodeMessage(encodeMessage(rolloutMessage(batch(1), meta)));
    rejects(
      () => checkRollout(m, { ...schema, obsDim: 3 }),
      'schema',
      /observations has shape \[3, 1, 2\], expected \[3, n, 3\]/,
    );
    rejects(() => checkRollout(m, { ...schema, numSteps: 4 }), 'schema', /expected \[4, n, 2\]/);
    rejects(
      () => checkRollout(decodeMessage(encodeMessage(rolloutMessage(batch(3), meta))), schema),
      'schema',
      /n dividing numEnvs = 4/,
    );
    const without = { ...m, fields: { ...m.fields } };
    delete (without.fields as Record<string, unknown>).values;
    rejects(() => checkRollout(without, schema), 'schema', 'rollout w1:s:0: field values is missing');
    const extra: Message = { ...m, fields: { ...m.fields, secret: { data: new Uint8Array(1), shape: [1] } } };
    rejects(() => checkRollout(extra, schema), 'schema', 'unknown field secret');
    const wrongType: Message = {
      ...m,
      fields: { ...m.fields, terminated: { data: new Float32Array(T), shape: [T, 1] } },
    };
    rejects(() => checkRollout(wrongType, schema), 'schema', 'field terminated must be uint8');
    const nan: Message = {
      ...m,
      fields: { ...m.fields, rewards: { data: Float32Array.of(1, Number.NaN, 2), shape: [T, 1] } },
    };
    rejects(() => checkRollout(nan, schema), 'schema', 'rewards[1] must be finite, got NaN');
    const flag: Message = {
      ...m,
      fields: { ...m.fields, truncated: { data: Uint8Array.of(0, 3, 0), shape: [T, 1] } },
    };
    rejects(() => checkRollout(flag, schema), 'schema', 'truncated[1] must be 0 or 1, got 3');
    rejects(
      () => checkRollout({ ...m, kind: 'weights' }, schema),
      'schema',
      "is 'weights', expected 'rollout'",
    );
  });

  it('concatBatches places batch j at columns after the earlier batches, time-major', () => {
    const a = batch(1, 0);
    const b = batch(3, 100);
    const c = concatBatches([a, b]);
    expect(c.numEnvs).toBe(4);
    // row t: [a(t), b(t,0), b(t,1), b(t,2)]
    for (let t = 0; t < T; t++) {
      expect(c.rewards[t * 4]).toBe(a.rewards[t]);
      for (let i = 0; i < 3; i++) expect(c.rewards[t * 4 + 1 + i]).toBe(b.rewards[t * 3 + i]);
      expect(Array.from(c.observations.subarray((t * 4 + 2) * 2, (t * 4 + 3) * 2))).toEqual(
        Array.from(b.observations.subarray((t * 3 + 1) * 2, (t * 3 + 2) * 2)),
      );
    }
    expect(c.episodeReturns).toEqual([12.5, 12.5]);
  });
});
