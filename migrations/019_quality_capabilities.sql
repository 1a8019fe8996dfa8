-- Issue 14 §2: ladder quality metrics, worker capabilities.

-- PSNR/SSIM of a rendition against its source, sampled (packages/pipeline/src/rendition-quality.ts):
-- {"psnr": dB, "ssim": 0..1, "sampled_seconds": s}, on the rendition's playlist row; null
-- until measured (audio renditions, and assets made before this migration, stay null).
alter table artifacts add column quality jsonb;

-- What each worker's ffmpeg can do (`-muxers`, `-encoders`, `-filters`, libvmaf), probed once
-- at its start. Apart from `workers` on purpose: a worker's row goes when it stops, but
-- GET /v1/capabilities answers from the last known list (flagged stale) while none is alive.
create table worker_capabilities (
  worker_id       text primary key,
  ffmpeg_version  text not null,
  muxers          text[] not null,
  video_encoders  text[] not null,
  audio_encoders  text[] not null,
  filters         text[] not null,
  vmaf            boolean not null,
  probed_at       timestamptz not null default now()
);
create index worker_capabilities_recent on worker_capabilities (probed_at desc);

-- Usage's storage byte-hours need an asset's artifact bytes after the purge removed their
-- rows: the purge records their sum here (packages/pipeline/src/purge-asset.ts).
alter table assets add column purged_artifact_bytes bigint;
