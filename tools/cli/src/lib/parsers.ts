import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole number within bounds. */
export function integer(min: number, max: number) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('Not a whole number.');
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`Must be between ${min} and ${max}.`);
    return n;
  };
}

/** A commander parser for a comma-separated list of allowed words: "worker,read". */
export function listOf<T extends string>(allowed: readonly T[]) {
  return (value: string): T[] => {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const wrong = items.filter((item) => !allowed.includes(item as T));
    if (items.length === 0 || wrong.length > 0) {
      throw new InvalidArgumentError(`Allowed: ${allowed.join(', ')} (comma-separated).`);
    }
    return [...new Set(items)] as T[];
  };
}
