// Parsers for CLI option values. Each one rejects a bad value with InvalidArgumentError, which
// commander prints after the option's name: "option '--fps <n>' argument '-5' is invalid. It must
// be a number greater than 0 ...". Used as the third argument of `.option(...)`.
import { InvalidArgumentError } from 'commander';

/** Bounds of a numeric option; both ends inclusive unless `above` is used. */
export interface NumberBounds {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** The value must be strictly greater than this. */
  above?: number;
}

function describeBounds(kind: string, b: NumberBounds): string {
  const parts: string[] = [];
  if (b.above !== undefined) parts.push(`greater than ${b.above}`);
  if (b.min !== undefined && b.max !== undefined) parts.push(`from ${b.min} to ${b.max}`);
  else if (b.min !== undefined) parts.push(`${b.min} or more`);
  else if (b.max !== undefined) parts.push(`at most ${b.max}`);
  return `It must be ${kind}${parts.length ? ` ${parts.join(' and ')}` : ''}.`;
}

function inBounds(n: number, b: NumberBounds): boolean {
  return (
    (b.min === undefined || n >= b.min) && (b.max === undefined || n <= b.max) && (b.above === undefined || n > b.above)
  );
}

/** A finite number (decimal text only: no empty string, no 'abc', no 'Infinity'). */
function toNumber(text: string): number {
  const t = text.trim();
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
}

/** A whole number within bounds. */
export function intOption(bounds: NumberBounds = {}): (value: string) => number {
  return (value) => {
    const n = toNumber(value);
    if (!Number.isSafeInteger(n) || !inBounds(n, bounds))
      throw new InvalidArgumentError(describeBounds('a whole number', bounds));
    return n;
  };
}

/** A finite number within bounds. */
export function numberOption(bounds: NumberBounds = {}): (value: string) => number {
  return (value) => {
    const n = toNumber(value);
    if (!Number.isFinite(n) || !inBounds(n, bounds)) throw new InvalidArgumentError(describeBounds('a number', bounds));
    return n;
  };
}

/** A latent truncation threshold: 0 (off) or at least `min` (tiny thresholds would redraw forever). */
export function truncationOption(min = 0.05): (value: string) => number {
  return (value) => {
    const n = toNumber(value);
    if (!Number.isFinite(n) || !(n === 0 || n >= min))
      throw new InvalidArgumentError(`It must be 0 (off) or a number of ${min} or more, e.g. 1.5.`);
    return n;
  };
}

/** A comma-separated list of whole numbers within bounds, with at least `minCount` entries. */
export function intListOption(bounds: NumberBounds = {}, minCount = 1): (value: string) => number[] {
  return (value) => {
    const items = value.split(',').map((x) => x.trim());
    const nums = items.map((x) => toNumber(x));
    const bad = items.find((x, i) => x === '' || !Number.isSafeInteger(nums[i]) || !inBounds(nums[i], bounds));
    if (bad !== undefined)
      throw new InvalidArgumentError(
        `${bad === '' ? 'An entry is empty. ' : `'${bad}' is not allowed. `}${describeBounds('a comma-separated list of whole numbers', bounds)}`,
      );
    if (nums.length < minCount) throw new InvalidArgumentError(`It needs at least ${minCount} numbers, e.g. 1,2.`);
    return nums;
  };
}

/** One of a fixed set of words. */
export function choiceOption<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value))
      throw new InvalidArgumentError(`It must be one of: ${choices.join(', ')}.`);
    return value as T;
  };
}
