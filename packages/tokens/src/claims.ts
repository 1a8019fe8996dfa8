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
