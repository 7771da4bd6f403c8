import { describe, expect, it } from 'vitest';
import {
  constantSchedule,
  cosineSchedule,
  describeSchedule,
  linearSchedule,
  parseSchedule,
  type Schedule,
  scheduleValue,
} from '../src/index.js';

// Schedules take the remaining progress: 1 at the start of training, 0 at the end.
const at = (s: Schedule, progress: number) => scheduleValue(s, 1 - progress);

describe('schedules', () => {
  it('constant: the same value at progress 0, 0.5 and 1', () => {
    const s = constantSchedule(3e-4);
    expect([at(s, 0), at(s, 0.5), at(s, 1)]).toEqual([3e-4, 3e-4, 3e-4]);
    expect(at(2.5e-4, 0.5)).toBe(2.5e-4);
  });

  it('linear: initial, the mean, final (SB3 linear_schedule when final is 0)', () => {
    expect([0, 0.5, 1].map((p) => at(linearSchedule(3e-4), p))).toEqual([3e-4, 1.5e-4, 0]);
    expect([0, 0.5, 1].map((p) => at(linearSchedule(1, 0.5), p))).toEqual([1, 0.75, 0.5]);
    expect(at(linearSchedule(1, 0.5), 0.25)).toBe(0.875);
  });

  it('cosine: initial, the mean, final, and ½(i−f)(1+cos πp) in between', () => {
    expect([0, 0.5, 1].map((p) => at(cosineSchedule(3e-4), p))).toEqual([3e-4, 1.5e-4, 0]);
    expect([0, 0.5, 1].map((p) => at(cosineSchedule(1, 0.5), p))).toEqual([1, 0.75, 0.5]);
    // progress 0.25: 0.5 + 0.25 · (1 + cos(π/4)) = 0.5 + 0.25 · 1.7071067811865475
    expect(at(cosineSchedule(1, 0.5), 0.25)).toBeCloseTo(0.9267766952966369, 15);
    // slower than linear at first, faster at the end
    expect(at(cosineSchedule(1), 0.25)).toBeGreaterThan(at(linearSchedule(1), 0.25));
    expect(at(cosineSchedule(1), 0.75)).toBeLessThan(at(linearSchedule(1), 0.75));
  });

  it('parses numbers, the lin_/cos_ notation and the object form', () => {
    expect(parseSchedule(0.001)).toBe(0.001);
    expect(parseSchedule('0.001')).toBe(0.001);
    const lin = parseSchedule('lin_3e-4');
    expect([0, 0.5, 1].map((p) => at(lin, p))).toEqual([3e-4, 1.5e-4, 0]);
    const linFinal = parseSchedule('lin_1_0.5');
    expect(at(linFinal, 1)).toBe(0.5);
    const cos = parseSchedule('cos_3e-4');
    expect([0, 0.5, 1].map((p) => at(cos, p))).toEqual([3e-4, 1.5e-4, 0]);
    const cosFinal = parseSchedule({ type: 'cosine', initial: 1e-3, final: 1e-5 });
    expect([0, 1].map((p) => at(cosFinal, p))).toEqual([1e-3, 1e-5]);
    expect(at(cosFinal, 0.5)).toBeCloseTo(5.05e-4, 15);
    expect(at(parseSchedule({ type: 'linear', initial: 2 }), 0.5)).toBe(1);
    expect(at(parseSchedule({ type: 'constant', value: 7 }), 0.3)).toBe(7);
  });

  it('writes schedules back in the form they were parsed from', () => {
    for (const form of [0.001, 'lin_0.0003', 'lin_1_0.5', 'cos_0.0003', 'cos_0.001_0.00001']) {
      expect(describeSchedule(parseSchedule(form))).toBe(form);
    }
    expect(describeSchedule(constantSchedule(3))).toBe(3);
    expect(describeSchedule(parseSchedule({ type: 'cosine', initial: 1, final: 0.5 }))).toBe('cos_1_0.5');
    // a function made elsewhere is written as linear from its starting value (as before)
    expect(describeSchedule((p) => 2 * p)).toBe('lin_2');
  });

  it('refuses other values, naming the hyperparameter and the forms', () => {
    expect(() => parseSchedule('exp_1', 'learningRate')).toThrow(
      /learningRate must be a number, "lin_<initial>\[_<final>\]", "cos_<initial>\[_<final>\]" or .*got "exp_1"/,
    );
    expect(() => parseSchedule('')).toThrow(RangeError);
    expect(() => parseSchedule(Number.NaN)).toThrow(RangeError);
    expect(() => parseSchedule({ type: 'cosine' } as never)).toThrow(/got \{"type":"cosine"\}/);
    expect(() => parseSchedule({ type: 'cosine', initial: 1, finale: 0 } as never, 'learningRate')).toThrow(
      /learningRate: unknown key "finale"/,
    );
    expect(() => parseSchedule({ type: 'step', initial: 1 } as never)).toThrow(RangeError);
    expect(() => cosineSchedule(Number.POSITIVE_INFINITY)).toThrow(/initial must be a finite number/);
    expect(() => linearSchedule(1, Number.NaN)).toThrow(/final must be a finite number/);
  });
});
