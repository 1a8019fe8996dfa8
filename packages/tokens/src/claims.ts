/** What a verified playback token grants. */
export interface PlaybackClaims {
  readonly assetId: string;
  /** The account that owns the asset (`acc`); null in tokens minted before it was added. */
  readonly accountId: string | null;
  /** Epoch seconds (the token's `exp`). */
  readonly expiresAt: number;
  /** The key that signed it. */
  readonly kid: string;
}

/**
 * A token's identity for budgets and rate limits: its signed part (header and payload).
 * Those bytes cannot change without breaking the signature, whereas the last base64url
 * character of an Ed25519 signature has spare bits, so one token has several spellings that
 * all verify; keyed by its whole text, each spelling would get a budget of its own.
 */
export function signedPart(token: string): string {
  return token.slice(0, token.lastIndexOf('.'));
}
