import { getAsset, listArtifacts, type AssetRow } from '@kino/db';
import { waitWoken } from '@kino/events';
import { pickEdge, playbackBlock, type PlaybackBlock } from '@kino/playback';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';

export interface PlaybackOptions {
  region?: string | undefined;
  ttlSeconds?: number | undefined;
}

/** Signs a playback block for an asset that can play, or says why it cannot. */
export async function issuePlayback(deps: ApiDeps, asset: AssetRow, o: PlaybackOptions): Promise<PlaybackBlock> {
  if (asset.deleted_at) throw new ApiError(404, 'NOT_FOUND', 'Asset not found.');
  if (asset.playable_state === 'not_playable') {
    throw new ApiError(
      404,
      'ASSET_NOT_PLAYABLE',
      asset.error
        ? `The asset cannot be played: ${asset.error.message}`
        : 'The asset is not playable yet; its opener is usually ready within seconds of the upload.',
    );
  }
  const edge = await pickEdge(deps.sql, {
    region: o.region,
    healthySeconds: deps.config.playback.edgeHealthySeconds,
    fallbackUrl: deps.config.playback.edgeFallbackUrl,
  });
  if (!edge) throw new ApiError(503, 'NO_EDGE_AVAILABLE', 'No edge is available to serve playback; try again shortly.');
  const [artifacts, signed] = await Promise.all([
    listArtifacts(deps.sql, asset.id),
    deps.signer.sign({ assetId: asset.id, accountId: asset.account_id, ttlSeconds: o.ttlSeconds }),
  ]);
  return playbackBlock({
    assetId: asset.id,
    playableState: asset.playable_state,
    artifacts,
    edge,
    token: signed.token,
    expiresAt: signed.expiresAt,
  });
}

/** A wait re-reads the asset at least this often without a notification: one can be lost. */
const WAIT_RECHECK_MS = 2_500;

/**
 * Holds until the asset is playable, has failed, or `timeoutMs` passes, and returns its
 * latest row. Re-read when the account's events are announced (the opener's among them),
 * and every WAIT_RECHECK_MS in case an announcement was lost: a few reads per wait, not ten a second.
 */
export async function waitUntilPlayable(
  deps: ApiDeps,
  accountId: string,
  assetId: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<AssetRow> {
  const asset = await waitWoken({
    read: () => getAsset(deps.sql, accountId, assetId),
    // Gone meanwhile (the upload was swept or deleted): the caller answers with what it has.
    done: (a) => a?.playable_state !== 'not_playable' || !!a.error,
    subscribe: (wake) => deps.eventFeed.subscribe(accountId, wake),
    timeoutMs,
    recheckMs: WAIT_RECHECK_MS,
    signal,
  });
  if (!asset) throw new ApiError(404, 'NOT_FOUND', 'Asset not found.');
  return asset;
}
