import { MASTER_PATH, OPENER_PATH, playbackUrl, STORYBOARD_VTT_PATH, THUMBNAIL_PATH, type PlaybackBlock } from '@kino/artifacts';
import type { ArtifactRow } from '@kino/db';
import type { ChosenEdge } from './edges.ts';
import { startupPaths, startupRendition } from './startup.ts';

export type { PlaybackBlock };

/** Everything a player needs to start: signed URLs on one edge and what to fetch first. */
export function playbackBlock(o: {
  assetId: string;
  playableState: PlaybackBlock['playable_state'];
  artifacts: ArtifactRow[];
  edge: ChosenEdge;
  token: string;
  expiresAt: Date;
}): PlaybackBlock {
  const has = new Set(o.artifacts.map((a) => a.path));
  const url = (path: string) => (has.has(path) ? playbackUrl(o.edge.url, o.token, o.assetId, path) : null);
  // The master is published at probe time, listing every segment: from then on HLS plays
  // the whole video, segments not encoded yet made just in time (not only once hls_ready).
  const hls = has.has(MASTER_PATH);
  return {
    asset_id: o.assetId,
    playable_state: o.playableState,
    expires_at: o.expiresAt.toISOString(),
    edge: o.edge,
    startup_rendition: hls ? (startupRendition(o.artifacts)?.name ?? null) : null,
    urls: {
      master: hls ? url(MASTER_PATH) : null,
      opener: url(OPENER_PATH),
      thumbnail: url(THUMBNAIL_PATH),
      storyboard: url(STORYBOARD_VTT_PATH),
    },
    prefetch: [OPENER_PATH, ...(hls ? startupPaths(o.artifacts) : [])]
      .filter((p) => has.has(p))
      .map((p) => playbackUrl(o.edge.url, o.token, o.assetId, p)),
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
        master: {
          type: ['string', 'null'],
          description:
            'The HLS master playlist, from asset.playlists_ready on: it plays the whole video, segments not encoded yet made on demand.',
        },
        opener: { type: ['string', 'null'], description: 'The first seconds as a small MP4, playable at once.' },
        thumbnail: { type: ['string', 'null'] },
        storyboard: {
          type: ['string', 'null'],
          description:
            'The storyboard: a WebVTT file whose cues name a tile of its sprite sheet (`{sprite}#xywh=x,y,w,h`, relative to it), from asset.storyboard_ready on: seek-bar previews.',
        },
      },
    },
    prefetch: { type: 'array', items: { type: 'string' } },
    beacon: {
      type: 'object',
      description: "QoE beacons: POST a JSON body with this token to this URL (see the edge's /beacon).",
      properties: { url: { type: 'string' }, token: { type: 'string' } },
    },
  },
} as const;
