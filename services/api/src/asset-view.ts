import { PLAYBACK_POLICIES, SOURCE_STATES, type ArtifactRow, type AssetRow, type PlayableState } from '@kino/db';
import { AnyObject, Nullable, refTo, StringEnum, Uuid } from '@kino/http';
import type { MediaJob } from '@kino/jobs';
import { DONE_STEP, PROGRESS_STEPS, type ProgressStep } from '@kino/pipeline';
import { Type, type Static, type TSchemaOptions } from 'typebox';
import { PlaybackRef } from './schemas.ts';

// What a user sees of an asset. Segments are summarised per rendition rather than listed:
// a two-hour video has thousands of them. Image variants made on demand are not listed
// either: they are a cache of what viewers asked for, up to 200 of them.

const Artifact = Type.Object({
  path: Type.String(),
  kind: StringEnum(['opener', 'thumbnail', 'storyboard', 'master', 'playlist', 'init']),
  content_type: Type.String(),
  bytes: Type.Integer(),
  rendition: Nullable(Type.String()),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  bitrate: Nullable(Type.Integer()),
});

const Rendition = Type.Object({
  name: Type.String(),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  bitrate: Nullable(Type.Integer()),
  segments: Type.Integer(),
  bytes: Type.Integer(),
  quality: Nullable(
    Type.Object({
      psnr: Type.Number({ description: 'Mean PSNR in dB (100 = identical).' }),
      ssim: Type.Number({ description: 'Mean SSIM, 0..1 (1 = identical).' }),
      sampled_seconds: Type.Number({ description: 'Seconds compared: three short windows spread over the video.' }),
    }),
    {
      description:
        "The rendition's picture against the source, scaled to the source's size, sampled after hls_ready; null for audio and until measured.",
    },
  ),
});

// What every view of an asset has is required; what only some answers carry (one asset's
// detail, an upload's wait) is optional.
export const AssetSchema = Type.Object(
  {
    id: Uuid(),
    title: Nullable(Type.String()),
    passthrough: Nullable(Type.String()),
    source_state: StringEnum(SOURCE_STATES, {
      description:
        '`uploading` while the bytes stream in through POST /v1/videos; `awaiting_upload` until a direct (POST /v1/uploads) or tus ' +
        'upload is finished; `importing` while a URL import is fetched; `uploaded` once they are all stored, and it stays so when ' +
        'processing succeeds; `failed` when the source cannot be had or read (unreachable, not media, truncated or corrupt: `error` says why).',
    }),
    playable_state: StringEnum(['not_playable', 'opener_ready', 'hls_ready', 'deleted'], {
      description: '`deleted` once the asset is deleted (see deleted_at), whatever it was before.',
    }),
    playback_policy: StringEnum(PLAYBACK_POLICIES, {
      description:
        '`signed`: playback URLs only from authenticated calls. `public`: also the public player page /player/{id}, which mints short-lived tokens for anyone.',
    }),
    preset: Nullable(Type.String(), {
      description:
        'The preset it is encoded to, as it was at upload (later edits of the preset do not change it); null: the default ladder.',
    }),
    source: Type.Object({
      content_type: Nullable(Type.String()),
      bytes: Nullable(Type.Integer()),
      meta: Nullable(AnyObject({ description: "ffprobe's summary of the source." })),
    }),
    error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
    progress: Type.Optional(
      Nullable(
        Type.Object({
          job_state: StringEnum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
          step: Nullable(
            StringEnum([...new Set(Object.values(PROGRESS_STEPS).flat()), DONE_STEP], {
              description: `The step in hand: ${Object.entries(PROGRESS_STEPS)
                .map(([kind, steps]) => `${kind}: ${steps.join(', ')}`)
                .join('; ')} (in the order first reported; see the README). \`${DONE_STEP}\` once the job succeeded.`,
            }),
          ),
          fraction: Nullable(Type.Number()),
          attempts: Type.Integer(),
          max_attempts: Type.Integer(),
        }),
        { description: 'The processing job: its state, current step and how far along it is (0..1); only on one asset.' },
      ),
    ),
    artifacts: Type.Optional(Type.Array(Artifact, { description: 'Only on one asset (not in lists).' })),
    renditions: Type.Optional(Type.Array(Rendition, { description: 'Only on one asset (not in lists).' })),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    deleted_at: Nullable(Type.String({ format: 'date-time' })),
    links: Type.Object({ self: Type.String(), events: Type.String() }),
    playback: Type.Optional(PlaybackRef({ description: 'Only on an upload with wait=playable that became playable in time.' })),
    wait: Type.Optional(
      Type.Object(
        {
          timed_out: Type.Boolean({ description: 'True when the asset was still not playable when the wait ended.' }),
          waited_seconds: Type.Number(),
        },
        { description: 'Only on an upload with wait=playable: how the wait ended.' },
      ),
    ),
    estimated_ready_at: Type.Optional(
      Nullable(Type.String({ format: 'date-time' }), {
        description:
          'Only on an upload: when it should reach hls_ready, estimated from the queue and recent job durations as it was admitted ' +
          '(see GET /v1/status); null when unknown (no job has succeeded yet) and on a replay of an earlier Idempotency-Key.',
      }),
    ),
  },
  { $id: 'Asset' },
);

/** An asset in a response, typed as the `Asset` schema. */
export const AssetRef = (options: TSchemaOptions = {}) => refTo(AssetSchema, options);

type RenditionSummary = Required<Static<typeof Rendition>>;

function summariseRenditions(artifacts: ArtifactRow[]): RenditionSummary[] {
  const byName = new Map<string, RenditionSummary>();
  for (const a of artifacts) {
    if (!a.rendition) continue;
    let r = byName.get(a.rendition);
    if (!r) {
      r = { name: a.rendition, width: null, height: null, bitrate: null, segments: 0, bytes: 0, quality: null };
      byName.set(a.rendition, r);
    }
    r.bytes += a.bytes;
    if (a.kind === 'segment') r.segments += 1;
    if (a.kind === 'playlist') Object.assign(r, { width: a.width, height: a.height, bitrate: a.bitrate, quality: a.quality ?? null });
  }
  return [...byName.values()].sort((x, y) => (y.height ?? 0) - (x.height ?? 0) || x.name.localeCompare(y.name));
}

/** What a user sees as an asset's playable state: a deleted asset plays nowhere. */
export const viewPlayableState = (asset: Pick<AssetRow, 'playable_state' | 'deleted_at'>): PlayableState | 'deleted' =>
  asset.deleted_at ? 'deleted' : asset.playable_state;

export function assetView(asset: AssetRow, baseUrl: string, detail?: { artifacts: ArtifactRow[]; job: MediaJob | null }) {
  return {
    id: asset.id,
    title: asset.title,
    passthrough: asset.passthrough,
    source_state: asset.source_state,
    playable_state: viewPlayableState(asset),
    playback_policy: asset.playback_policy,
    preset: (asset.preset?.['name'] as string | undefined) ?? null,
    source: { content_type: asset.source_content_type, bytes: asset.source_bytes, meta: asset.source_meta },
    error: asset.error,
    ...(detail && {
      progress: detail.job && {
        job_state: detail.job.state,
        // What the pipeline reported: one of its PROGRESS_STEPS.
        step: (detail.job.progress.step ?? null) as ProgressStep | null,
        fraction: detail.job.progress.fraction ?? null,
        attempts: detail.job.attempts,
        max_attempts: detail.job.max_attempts,
      },
      artifacts: detail.artifacts
        .filter(
          (a): a is ArtifactRow & { kind: Exclude<ArtifactRow['kind'], 'segment' | 'image'> } => a.kind !== 'segment' && a.kind !== 'image',
        )
        .map((a) => ({
          path: a.path,
          kind: a.kind,
          content_type: a.content_type,
          bytes: a.bytes,
          rendition: a.rendition,
          width: a.width,
          height: a.height,
          bitrate: a.bitrate,
        })),
      renditions: summariseRenditions(detail.artifacts),
    }),
    created_at: asset.created_at.toISOString(),
    updated_at: asset.updated_at.toISOString(),
    deleted_at: asset.deleted_at?.toISOString() ?? null,
    links: { self: `${baseUrl}/v1/assets/${asset.id}`, events: `${baseUrl}/v1/assets/${asset.id}/events` },
  };
}
