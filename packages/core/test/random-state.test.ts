import { describe, expect, it } from 'vitest';
import { Random } from '../src/random.js';

describe('Random state', () => {
  it('getState/setState continue the same sequence, including a cached normal', () => {
    const a = new Random(7);
    a.uniform();
    a.normal(); // leaves a spare normal cached
    const state = JSON.parse(JSON.stringify(a.getState()));
    const b = new Random(99);
    b.setState(state);
    for (let i = 0; i < 5; i++) expect(b.normal()).toBe(a.normal());
    expect(b.nextUint32()).toBe(a.nextUint32());
  });

  it('refuses malformed states, naming the field', () => {
    const r = new Random(1);
    expect(() => r.setState({ s: [0, 0, 0, 0], spareNormal: null })).toThrow(/state\.s must be/);
    expect(() => r.setState({ s: [1, 2, 3, 2 ** 32], spareNormal: null })).toThrow(/state\.s must be/);
    expect(() => r.setState({ s: [1, 2, 3, 4], spareNormal: Number.NaN })).toThrow(/spareNormal/);
  });
});
