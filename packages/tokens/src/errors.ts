import type { PlaybackClaims } from './claims.ts';

export type TokenFailure =
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'unknown_key'
  | 'bad_algorithm'
  | 'wrong_audience'
  | 'wrong_asset'
  | 'missing_claims';

export const TOKEN_FAILURES: readonly TokenFailure[] = [
  'malformed',
  'expired',
  'not_yet_valid',
  'bad_signature',
  'unknown_key',
  'bad_algorithm',
  'wrong_audience',
  'wrong_asset',
  'missing_claims',
];

/** The error code an edge answers a refused token with: `TOKEN_` and the failure. */
export const tokenErrorCode = (reason: TokenFailure) => `TOKEN_${reason.toUpperCase()}` as `TOKEN_${Uppercase<TokenFailure>}`;

const messages: Record<TokenFailure, string> = {
  malformed: 'The playback token is malformed.',
  expired: 'The playback token has expired.',
  not_yet_valid: 'The playback token is not valid yet.',
  bad_signature: 'The playback token signature is invalid.',
  unknown_key: 'The playback token was signed by an unknown key.',
  bad_algorithm: 'The playback token uses an algorithm that is not accepted.',
  wrong_audience: 'The playback token is not meant for this audience.',
  wrong_asset: 'The playback token does not grant access to this asset.',
  missing_claims: 'The playback token lacks required claims.',
};

/**
 * A refused token. The token was genuine but for another asset only in the `wrong_asset`
 * case, so that alone is a 403; everything else means "no valid credential" (401).
 */
export class TokenError extends Error {
  override name = 'TokenError';
  readonly status: 401 | 403;
  /**
   * The token's claims when its signature was genuine and only a claim check failed
   * (expired, wrong asset): enough to attribute the refusal to its account, never to grant.
   */
  readonly claims: PlaybackClaims | undefined;
  constructor(
    readonly reason: TokenFailure,
    options?: { cause?: unknown; claims?: PlaybackClaims | undefined },
  ) {
    super(messages[reason], options);
    this.claims = options?.claims;
    this.status = reason === 'wrong_asset' ? 403 : 401;
  }
}
