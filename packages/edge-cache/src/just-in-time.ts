import { classify, parseArtifactKey } from '@kino/artifacts';
import { OriginError, type Origin, type OriginObject } from './origin.ts';

/**
 * The control plane's answer to "make this segment (or image)": it is at the origin now
 * (`ready`), it never will be (`refused`: no such asset, or not in its plan; `limited`: an
 * image variant past the asset's bound), or not yet (`busy`).
 */
export type SegmentAnswer = { status: 'ready' } | { status: 'refused' } | { status: 'limited' } | { status: 'busy'; retryAfterSec: number };

/**
 * Asks the control plane to produce an artifact of an asset. Throws when it gives no usable
 * answer; honours `signal`, which aborts when the fill waiting on it does.
 */
export type AskForSegment = (assetId: string, path: string, signal: AbortSignal) => Promise<SegmentAnswer>;

/**
 * An origin for assets whose playlists list every planned segment before it exists: a
 * segment, init segment or image variant the origin lacks is asked for, then fetched
 * again. The cache runs one fill per key, so however many viewers want a missing one, it
 * is asked for once. Everything else (the opener, thumbnail, storyboard and playlists) is
 * not made on demand, and its 404 stands.
 */
export function withJustInTimeSegments(origin: Origin, ask: AskForSegment): Origin {
  const askFor = async (key: string, missing: OriginError, signal: AbortSignal): Promise<OriginObject> => {
    const artifact = parseArtifactKey(key);
    const kind = artifact && classify(artifact.path).kind;
    if (artifact === undefined || (kind !== 'segment' && kind !== 'init' && kind !== 'image')) throw missing;
    let answer: SegmentAnswer;
    try {
      answer = await ask(artifact.assetId, artifact.path, signal);
    } catch (err) {
      // An abort is the fill's own, and the fill reports it as such.
      if (signal.aborted || err instanceof OriginError) throw err;
      throw new OriginError('unavailable', `asking for ${artifact.path} failed: ${(err as Error).message}`);
    }
    if (answer.status === 'refused') throw missing;
    if (answer.status === 'limited') throw new OriginError('limited', `${artifact.path} is past the asset's bound on image variants`);
    if (answer.status === 'busy') {
      throw new OriginError('not_ready', `${artifact.path} is being made; ask again in ${answer.retryAfterSec} s`, answer.retryAfterSec);
    }
    return origin.get(key, signal);
  };

  return {
    async get(key, signal) {
      try {
        return await origin.get(key, signal);
      } catch (err) {
        if (!(err instanceof OriginError) || err.kind !== 'not_found') throw err;
        return askFor(key, err, signal);
      }
    },
    check: (signal) => origin.check(signal),
    close: () => origin.close(),
  };
}
