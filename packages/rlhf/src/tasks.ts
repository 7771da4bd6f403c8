import { Random } from '@proximal/core';
import { checkInt, checkOptions } from './checks.js';

/** One verifiable problem: a prompt and its exact expected answer. */
export interface Problem {
  /** e.g. `'12+34='`. */
  prompt: string;
  /** e.g. `'46'`. */
  answer: string;
}

/** Options of {@link arithmeticTask}. */
export interface ArithmeticTaskOptions {
  /** Operand digit counts to draw from (each operand independently), e.g. `[2, 3]`. Default `[2]`. */
  digits?: number[];
  /** Operators: `'+'` and/or `'-'` (the answer may be negative, e.g. `'12-34='` → `'-22'`). Default `['+']`. */
  ops?: ('+' | '-')[];
  /** Number of training problems. Default 1000. */
  numTrain?: number;
  /** Number of held-out problems (none of them is in the training set). Default 200. */
  numTest?: number;
  /** Seed (core's `Random`); the same options give the same problems. Default 0. */
  seed?: number;
}

/** The characters of arithmetic prompts and answers (for a `CharTokenizer`). */
export const ARITHMETIC_ALPHABET = '0123456789+-=';

/**
 * Multi-digit addition/subtraction problems generated from a seed (no download): each problem draws
 * an operator, two digit counts and two operands with exactly that many digits (leading digit ≥ 1
 * for multi-digit numbers), giving `prompt = "a+b="`, `answer = String(a + b)`. Problems are
 * distinct; the first `numTrain` distinct ones form the training set and the next `numTest` the
 * held-out set, so the two never share a prompt.
 * @throws TypeError for an unknown option; RangeError for digits outside [1, 7], an unknown operator,
 *   counts < 0, or more problems asked than can be drawn (after 20× attempts).
 */
export function arithmeticTask(options: ArithmeticTaskOptions = {}): { train: Problem[]; test: Problem[] } {
  checkOptions('arithmeticTask options', options, ['digits', 'ops', 'numTrain', 'numTest', 'seed']);
  const digits = options.digits ?? [2];
  if (!Array.isArray(digits) || digits.length === 0) throw new RangeError('digits must be a non-empty array');
  for (const [i, d] of digits.entries()) checkInt(`digits[${i}]`, d, 1, 7);
  const ops = options.ops ?? ['+'];
  if (!Array.isArray(ops) || ops.length === 0)
    throw new RangeError("ops must be a non-empty array of '+' / '-'");
  ops.forEach((o, i) => {
    if (o !== '+' && o !== '-') throw new RangeError(`ops[${i}] must be '+' or '-', got ${String(o)}`);
  });
  const numTrain = checkInt('numTrain', options.numTrain ?? 1000, 0);
  const numTest = checkInt('numTest', options.numTest ?? 200, 0);
  const rng = new Random(checkInt('seed', options.seed ?? 0, 0));
  const want = numTrain + numTest;
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const operand = (d: number) => (d === 1 ? rng.integer(10) : 10 ** (d - 1) + rng.integer(9 * 10 ** (d - 1)));
  for (let tries = 0; problems.length < want; tries++) {
    if (tries >= 20 * want) {
      throw new RangeError(
        `could only draw ${problems.length} distinct problems of the ${want} asked (numTrain + numTest) with digits ${JSON.stringify(digits)}`,
      );
    }
    const op = ops[rng.integer(ops.length)];
    const a = operand(digits[rng.integer(digits.length)]);
    const b = operand(digits[rng.integer(digits.length)]);
    const prompt = `${a}${op}${b}=`;
    if (seen.has(prompt)) continue;
    seen.add(prompt);
    problems.push({ prompt, answer: String(op === '+' ? a + b : a - b) });
  }
  return { train: problems.slice(0, numTrain), test: problems.slice(numTrain) };
}
