import { InvalidArgumentError } from 'commander';

/** A whole number for a numeric option; anything else is a usage error. */
export function intOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Not a whole number.');
  return Number(value);
}
