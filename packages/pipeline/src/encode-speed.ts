import type { Queryable } from '@kino/db';
import { recordEncodeSpeed } from '@kino/jobs';
import type { EncodingPreset, MediaPlan } from '@kino/media';

/**
 * Records a finished ladder's speed for estimates. The ladder is one ffmpeg for every rung,
 * so its wall time is shared out by pixel count (what encode time follows): each rung's
 * sample is the plan's duration over its share. Failures are not the job's: logged by the caller.
 */
export async function recordLadderSpeed(
  sql: Queryable,
  workerId: string,
  preset: EncodingPreset,
  plan: MediaPlan,
  wallSeconds: number,
): Promise<void> {
  const pixels = plan.video.reduce((sum, r) => sum + r.width * r.height, 0);
  for (const r of plan.video) {
    await recordEncodeSpeed(sql, {
      workerId,
      codec: preset.video?.codec ?? 'h264',
      height: Math.min(r.width, r.height),
      mediaSeconds: plan.durationSec,
      wallSeconds: (wallSeconds * r.width * r.height) / pixels,
    });
  }
}
