import type { AssetRow } from '@kino/db';
import { DEFAULT_ENCODING, planMedia, type EncodingPreset, type MediaPlan, type ProbeResult } from '@kino/media';

export interface AssetMedia {
  /** The preset the asset was uploaded with (its snapshot), or the default ladder's. */
  preset: EncodingPreset;
  /**
   * The probe as the encodes see it: an audio-only preset makes a video source an audio-only
   * one (no opener video, no thumbnail, no video rungs). The stored probe stays the source's.
   */
  probe: ProbeResult;
  plan: MediaPlan;
}

/** The one place a job or a just-in-time segment turns an asset's probe and preset into its plan. */
export function assetMedia(asset: Pick<AssetRow, 'preset'>, probed: ProbeResult): AssetMedia {
  const preset = (asset.preset as EncodingPreset | null) ?? DEFAULT_ENCODING;
  const probe = preset.video ? probed : { ...probed, video: undefined };
  return { preset, probe, plan: planMedia(probe, preset) };
}
