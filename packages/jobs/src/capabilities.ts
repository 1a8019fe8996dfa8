import type { Sql } from '@kino/db';
import { WORKER_ALIVE_SECONDS } from './heartbeat.ts';

// What each worker's ffmpeg can do, reported once at its start (beside its heartbeat's
// registration) and kept after it stops, so the answer survives a moment with no worker.

export interface WorkerCapabilities {
  ffmpegVersion: string;
  muxers: string[];
  videoEncoders: string[];
  audioEncoders: string[];
  filters: string[];
  vmaf: boolean;
}

export interface CapabilitiesAnswer extends WorkerCapabilities {
  /** Live workers the lists are the intersection of; 0 when the answer is the last known report. */
  workers: number;
  /** True when no worker is alive: the lists are the most recent report of one that was. */
  stale: boolean;
  /** When the newest report the answer is made from was taken; null when no worker ever reported. */
  probedAt: Date | null;
}

/** Reports kept this long after their worker's last one (a fleet that changed its ffmpeg forgets the old). */
const FORGET_AFTER = '7 days';

export async function recordWorkerCapabilities(sql: Sql, workerId: string, c: WorkerCapabilities): Promise<void> {
  await sql`delete from worker_capabilities where probed_at < now() - ${FORGET_AFTER}::interval`;
  await sql`
    insert into worker_capabilities (worker_id, ffmpeg_version, muxers, video_encoders, audio_encoders, filters, vmaf)
    values (${workerId}, ${c.ffmpegVersion}, ${c.muxers}, ${c.videoEncoders}, ${c.audioEncoders}, ${c.filters}, ${c.vmaf})
    on conflict (worker_id) do update set
      ffmpeg_version = excluded.ffmpeg_version, muxers = excluded.muxers, video_encoders = excluded.video_encoders,
      audio_encoders = excluded.audio_encoders, filters = excluded.filters, vmaf = excluded.vmaf, probed_at = now()`;
}

interface Row {
  ffmpeg_version: string;
  muxers: string[];
  video_encoders: string[];
  audio_encoders: string[];
  filters: string[];
  vmaf: boolean;
  probed_at: Date;
}

/**
 * What a job can count on whichever live worker claims it: the intersection of the live
 * workers' lists (vmaf only if all have it). With none alive, the newest report, flagged
 * stale; with none ever, empty lists, stale.
 */
export async function readCapabilities(sql: Sql): Promise<CapabilitiesAnswer> {
  const live = await sql<Row[]>`
    select c.* from worker_capabilities c join workers w on w.id = c.worker_id
    where w.seen_at > now() - ${WORKER_ALIVE_SECONDS} * interval '1 second'
    order by c.probed_at desc`;
  if (live.length > 0) {
    const both = (pick: (r: Row) => string[]) => live.map(pick).reduce((acc, list) => acc.filter((x) => list.includes(x)));
    return {
      ffmpegVersion: [...new Set(live.map((r) => r.ffmpeg_version))].join(', '),
      muxers: both((r) => r.muxers),
      videoEncoders: both((r) => r.video_encoders),
      audioEncoders: both((r) => r.audio_encoders),
      filters: both((r) => r.filters),
      vmaf: live.every((r) => r.vmaf),
      workers: live.length,
      stale: false,
      probedAt: live[0]!.probed_at,
    };
  }
  const [last] = await sql<Row[]>`select * from worker_capabilities order by probed_at desc limit 1`;
  if (!last) {
    return {
      ffmpegVersion: 'unknown',
      muxers: [],
      videoEncoders: [],
      audioEncoders: [],
      filters: [],
      vmaf: false,
      workers: 0,
      stale: true,
      probedAt: null,
    };
  }
  return {
    ffmpegVersion: last.ffmpeg_version,
    muxers: last.muxers,
    videoEncoders: last.video_encoders,
    audioEncoders: last.audio_encoders,
    filters: last.filters,
    vmaf: last.vmaf,
    workers: 0,
    stale: true,
    probedAt: last.probed_at,
  };
}
