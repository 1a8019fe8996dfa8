import type { Queryable } from '@kino/db';

// Measured encode speed, for estimates (POST /v1/estimate): media seconds made per wall
// second, per worker, codec and output height. Real encodes record it (the ladder per rung
// height, the opener, jobs' converts); only the last SAMPLES_KEPT of each key are kept, so
// the estimate follows the machines as they are now, not as they were.

export type SpeedCodec = 'h264' | 'h265' | 'av1' | 'aac';

export interface EncodeSpeedSample {
  workerId: string;
  codec: SpeedCodec;
  /** The output's short side; 0 for audio. */
  height: number;
  mediaSeconds: number;
  wallSeconds: number;
}

/** Samples kept per (worker, codec, height). */
export const SAMPLES_KEPT = 20;

/** Records one sample and drops that key's older ones beyond SAMPLES_KEPT. Nonsense (≤ 0) is ignored. */
export async function recordEncodeSpeed(sql: Queryable, s: EncodeSpeedSample): Promise<void> {
  if (!(s.mediaSeconds > 0 && s.wallSeconds > 0)) return;
  await sql`
    with added as (
      insert into encode_speed_samples (worker_id, codec, height, media_seconds, wall_seconds)
      values (${s.workerId}, ${s.codec}, ${s.height}, ${s.mediaSeconds}, ${s.wallSeconds})
      returning id
    )
    -- The delete sees the table as it was before this insert: keep SAMPLES_KEPT - 1 of those.
    delete from encode_speed_samples where id in (
      select id from encode_speed_samples
      where worker_id = ${s.workerId} and codec = ${s.codec} and height = ${s.height}
      order by id desc offset ${SAMPLES_KEPT - 1}
    )`;
}

export interface MeasuredSpeed {
  codec: SpeedCodec;
  height: number;
  /** Media seconds per wall second over the kept samples of every worker (total media / total wall). */
  speed: number;
  samples: number;
  workers: number;
}

/** What is measured, per (codec, height), across the workers' kept samples. */
export async function measuredSpeeds(sql: Queryable): Promise<MeasuredSpeed[]> {
  return sql<MeasuredSpeed[]>`
    select codec, height, sum(media_seconds) / sum(wall_seconds) as speed,
           count(*)::int as samples, count(distinct worker_id)::int as workers
    from encode_speed_samples group by codec, height order by codec, height`;
}
