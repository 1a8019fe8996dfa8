import type { ArtifactRow, PlayableState } from '@kino/db';
import type { ChosenEdge } from './edges.ts';
import { startupPaths, startupRendition } from './startup.ts';

/** Everything a player needs to start: signed URLs on one edge and what to fetch first. */
export interface PlaybackBlock {
  asset_id: string;
  playable_state: PlayableState;
  expires_at: string;
  edge: ChosenEdge;
  /** The rendition to start on; its first segments are in `prefetch`. */
  startup_rendition: string | null;
  urls: { master: string | null; opener: string | null; thumbnail: string | null };
  /** URLs worth fetching at page load, most important first. */
  prefetch: string[];
  /** Where the player posts QoE beacons, authorized by this block's token (see the edge's /beacon). */
  beacon: { url: string; token: string };
}

/**
 * `{edge}/p/{token}/{asset_id}/{path}`: the token lives in the path, so the relative URIs
 * inside playlists carry it along and the playlists themselves stay byte-identical.
 */
export function signedUrl(edgeUrl: string, token: string, assetId: string, path: string): string {
  return `${edgeUrl}/p/${token}/${assetId}/${path}`;
}

export function playbackBlock(o: {
  assetId: string;
  playableState: PlayableState;
  artifacts: ArtifactRow[];
  edge: ChosenEdge;
  token: string;
  expiresAt: Date;
}): PlaybackBlock {
  const has = new Set(o.artifacts.map((a) => a.path));
  const url = (path: string) => (has.has(path) ? signedUrl(o.edge.url, o.token, o.assetId, path) : null);
  const hls = o.playableState === 'hls_ready';
  return {
    asset_id: o.assetId,
    playable_state: o.playableState,
    expires_at: o.expiresAt.toISOString(),
    edge: o.edge,
    startup_rendition: hls ? (startupRendition(o.artifacts)?.name ?? null) : null,
    urls: { master: hls ? url('hls/master.m3u8') : null, opener: url('opener.mp4'), thumbnail: url('thumbnail.jpg') },
    prefetch: ['opener.mp4', ...(hls ? startupPaths(o.artifacts) : [])]
      .filter((p) => has.has(p))
      .map((p) => signedUrl(o.edge.url, o.token, o.assetId, p)),
    beacon: { url: `${o.edge.url}/beacon`, token: o.token },
  };
}

export const playbackBlockSchema = {
  $id: 'Playback',
  type: 'object',
  properties: {
    asset_id: { type: 'string', format: 'uuid' },
    playable_state: { type: 'string', enum: ['opener_ready', 'hls_ready'] },
    expires_at: { type: 'string', format: 'date-time' },
    edge: {
      type: 'object',
      properties: { id: { type: ['string', 'null'] }, region: { type: ['string', 'null'] }, url: { type: 'string' } },
    },
    startup_rendition: { type: ['string', 'null'] },
    urls: {
      type: 'object',
      properties: {
        master: { type: ['string', 'null'], description: 'The HLS master playlist, once hls_ready.' },
        opener: { type: ['string', 'null'], description: 'The first seconds as a small MP4, playable at once.' },
        thumbnail: { type: ['string', 'null'] },
      },
    },
    prefetch: { type: 'array', items: { type: 'string' } },
    beacon: {
      type: 'object',
      description: 'QoE beacons: POST a JSON body with this token to this URL (see the edge\'s /beacon).',
      properties: { url: { type: 'string' }, token: { type: 'string' } },
    },
  },
} as const;
