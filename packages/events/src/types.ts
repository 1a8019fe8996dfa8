// Every event type, in the order they usually happen. Documented here and, through the
// api's schema, in the OpenAPI document.
export const EVENT_TYPES = {
  'asset.created':
    'An upload started: the asset exists in source_state uploading (streamed), awaiting_upload (a direct or tus upload) or importing (a URL import).',
  'asset.source_uploaded': 'The whole source is stored (uploaded, or fetched from its URL); processing is queued.',
  'job.queued':
    'A job was queued: a URL import (data.reason `import`), processing (again, after a retry), after a delete the purge (data.reason `deleted`), or a job of the jobs API (data.reason `submitted`; asset_id null, data.job_id its id).',
  'job.started':
    'A worker claimed the job; data.attempt counts attempts. For a job of the jobs API asset_id is null and data.job_id is its id.',
  'job.progress':
    'The job reached a step, or a tenth of the way through one: data.step, data.fraction. For a job of the jobs API asset_id is null and data.job_id is its id.',
  'job.succeeded':
    'A job of the jobs API (POST /v1/jobs, /v1/analyze) finished: data.job_id, data.operation, data.outputs (names). An event of the account: asset_id is null.',
  'job.failed': 'A job of the jobs API failed for good: data.job_id, data.operation, data.code, data.message. asset_id is null.',
  'job.cancelled': 'A job of the jobs API was cancelled (DELETE /v1/jobs/{id}): data.job_id, data.operation. asset_id is null.',
  'asset.playlists_ready':
    'The master and every media playlist are published, listing every planned segment: the whole video plays and seeks, each segment not encoded yet made on demand. data.renditions, data.segments, data.duration_sec.',
  'asset.opener_ready': 'The opener is stored: the asset is playable.',
  'asset.thumbnail_ready': 'The thumbnail is stored.',
  'asset.storyboard_ready': 'The storyboard (sprite sheet and WebVTT file, for seek-bar previews) is stored.',
  'asset.rendition_ready':
    "Every segment of one HLS rendition is stored (the audio rendition first): data.rendition, width, height, bitrate (the peak, as the master's BANDWIDTH; the asset's renditions[].bitrate is the average), codecs.",
  'asset.hls_ready': 'Every segment of every rendition is stored: nothing is left to make on demand.',
  'asset.edges_warmed':
    'Edges were asked to cache new artifacts: data.paths, and data.ok / data.failed (the ids of the edges that did and did not).',
  'asset.errored':
    'Processing failed for good, or the source never came (an import that could not be fetched, a direct upload that is not media or expired): data.code, data.message.',
  'asset.deleted': 'The asset was deleted; playback stops everywhere.',
  'asset.purged': "The asset's cached files and origin objects are gone.",
  'webhook.disabled':
    'A webhook endpoint that failed every attempt for WEBHOOK_DISABLE_AFTER_SECONDS (3 days) was disabled: its pending deliveries failed and it gets no new ones until `POST /v1/webhooks/{id}/enable`. An event of the account, not of an asset: asset_id is null. data.webhook_id, data.failing_since, data.failures (attempts failed in a row).',
} as const;

export type EventType = keyof typeof EVENT_TYPES;
