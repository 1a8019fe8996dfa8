/** What a verified playback token grants. */
export interface PlaybackClaims {
  readonly assetId: string;
  /** Epoch seconds (the token's `exp`). */
  readonly expiresAt: number;
  /** The key that signed it. */
  readonly kid: string;
}
