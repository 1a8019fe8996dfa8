import type { ArtifactRow, AssetRow, PlayableState } from '@kino/db';
import type { MediaJob } from '@kino/jobs';

// What a user sees of an asset. Segments are summarised per rendition rather than listed:
// a two-hour video has thousands of them.

const nullable = (type: string) => ({ type: [type, 'null'] });

const artifactSchema = {
  type: 'object',
  properties: {
    path: { type: 'string' },
    kind: { type: 'string', enum: ['opener', 'thumbnail', 'master', 'playlist', 'init'] },
    content_type: { type: 'string' },
    bytes: { type: 'integer' },
    rendition: nullable('string'),
    width: nullable('integer'),
    height: nullable('integer'),
    bitrate: nullable('integer'),
  },
} as const;

export const assetSchema = {
  $id: 'Asset',
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    title: nullable('string'),
    passthrough: nullable('string'),
    source_state: { type: 'string', enum: ['uploading', 'uploaded', 'failed'] },
    playable_state: {
      type: 'string', enum: ['not_playable', 'opener_ready', 'hls_ready', 'deleted'],
      description: '`deleted` once the asset is deleted (see deleted_at), whatever it was before.',
    },
    playback_policy: {
      type: 'string', enum: ['signed', 'public'],
      description: '`signed`: playback URLs only from authenticated calls. `public`: also the public player page /player/{id}, which mints short-lived tokens for anyone.',
    },
    source: {
      type: 'object',
      properties: {
        content_type: nullable('string'),
        bytes: nullable('integer'),
        meta: { type: ['object', 'null'], additionalProperties: true, description: "ffprobe's summary of the source." },
      },
    },
    error: {
      type: ['object', 'null'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
    progress: {
      type: ['object', 'null'],
      description: 'The processing job: its state, current step and how far along it is (0..1).',
      properties: {
        job_state: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] },
        step: nullable('string'),
        fraction: nullable('number'),
        attempts: { type: 'integer' },
        max_attempts: { type: 'integer' },
      },
    },
    artifacts: { type: 'array', items: artifactSchema },
    renditions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          width: nullable('integer'),
          height: nullable('integer'),
          bitrate: nullable('integer'),
          segments: { type: 'integer' },
          bytes: { type: 'integer' },
        },
      },
    },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    deleted_at: { type: ['string', 'null'], format: 'date-time' },
    links: {
      type: 'object',
      properties: { self: { type: 'string' }, events: { type: 'string' } },
    },
    playback: { $ref: 'Playback#', description: 'Only on an upload with wait=playable that became playable in time.' },
  },
} as const;

export interface RenditionSummary {
  name: string;
  width: number | null;
  height: number | null;
  bitrate: number | null;
  segments: number;
  bytes: number;
}

function summariseRenditions(artifacts: ArtifactRow[]): RenditionSummary[] {
  const byName = new Map<string, RenditionSummary>();
  for (const a of artifacts) {
    if (!a.rendition) continue;
    let r = byName.get(a.rendition);
    if (!r) {
      r = { name: a.rendition, width: null, height: null, bitrate: null, segments: 0, bytes: 0 };
      byName.set(a.rendition, r);
    }
    r.bytes += a.bytes;
    if (a.kind === 'segment') r.segments += 1;
    if (a.kind === 'playlist') Object.assign(r, { width: a.width, height: a.height, bitrate: a.bitrate });
  }
  return [...byName.values()].sort((x, y) => (y.height ?? 0) - (x.height ?? 0) || x.name.localeCompare(y.name));
}

/** What a user sees as an asset's playable state: a deleted asset plays nowhere. */
export const viewPlayableState = (asset: Pick<AssetRow, 'playable_state' | 'deleted_at'>): PlayableState | 'deleted' =>
  asset.deleted_at ? 'deleted' : asset.playable_state;

export function assetView(
  asset: AssetRow,
  baseUrl: string,
  detail?: { artifacts: ArtifactRow[]; job: MediaJob | null },
) {
  return {
    id: asset.id,
    title: asset.title,
    passthrough: asset.passthrough,
    source_state: asset.source_state,
    playable_state: viewPlayableState(asset),
    playback_policy: asset.playback_policy,
    source: { content_type: asset.source_content_type, bytes: asset.source_bytes, meta: asset.source_meta },
    error: asset.error,
    ...(detail && {
      progress: detail.job && {
        job_state: detail.job.state,
        step: detail.job.progress.step ?? null,
        fraction: detail.job.progress.fraction ?? null,
        attempts: detail.job.attempts,
        max_attempts: detail.job.max_attempts,
      },
      artifacts: detail.artifacts
        .filter((a) => a.kind !== 'segment')
        .map((a) => ({
          path: a.path, kind: a.kind, content_type: a.content_type, bytes: a.bytes,
          rendition: a.rendition, width: a.width, height: a.height, bitrate: a.bitrate,
        })),
      renditions: summariseRenditions(detail.artifacts),
    }),
    created_at: asset.created_at.toISOString(),
    updated_at: asset.updated_at.toISOString(),
    deleted_at: asset.deleted_at?.toISOString() ?? null,
    links: { self: `${baseUrl}/v1/assets/${asset.id}`, events: `${baseUrl}/v1/assets/${asset.id}/events` },
  };
}
