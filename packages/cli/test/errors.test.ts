import { describe, expect, it } from 'vitest';
import { describeError } from '../src/errors.ts';

// What the CLI prints for a failure it did not expect: never a secret the failure quotes.

describe('describeError', () => {
  it('reduces API keys and webhook secrets in an unexpected error to their prefix', () => {
    const e = describeError(new Error('could not use kino_SECRE7abc-_def and whsec_c2VjcmV0+/= here'));
    expect(e).toEqual({ code: 'INTERNAL', message: 'could not use kino_… and whsec_… here' });
  });

  it('prints none of the text JSON.parse quotes', () => {
    let parseError: unknown;
    try {
      JSON.parse('{"api_key": SECRE7abcdef"}');
    } catch (err) {
      parseError = err;
    }
    expect(describeError(parseError).message).not.toContain('SECRE7');
  });
});
