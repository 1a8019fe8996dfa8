import { PLAYBACK_POLICIES, type PlaybackPolicy } from '@kino/db';
import { ApiError } from '@kino/http';
import { MEDIA_CONTENT_TYPE } from './sniff.ts';

// A tus upload's `Upload-Metadata` carries what a streamed upload's query string does, and
// is held to the same bounds. Unknown keys are refused like unknown parameters (a misspelt
// `titel` must not vanish without a word), except those tus clients add of their own accord
// (Uppy's `name`, `type`, `filename`, `relativePath`), which are read past.

export interface TusUploadFields {
  title: string | undefined;
  passthrough: string | undefined;
  playbackPolicy: PlaybackPolicy | undefined;
  contentType: string;
}

const LIMITS = { title: 512, passthrough: 2048, filetype: 255 } as const;
export const TUS_METADATA_KEYS = [...Object.keys(LIMITS), 'playback_policy'];
const CLIENT_KEYS = ['name', 'type', 'filename', 'relativePath'];

const refuse = (key: string, message: string) =>
  new ApiError(400, 'VALIDATION_ERROR', message, [{ path: `Upload-Metadata.${key}`, message }]);

/**
 * The asset's fields from a tus upload's metadata (values already base64-decoded; a key
 * sent without a value, or with an empty one, counts as absent).
 */
export function readTusMetadata(metadata: Record<string, string | null> | undefined): TusUploadFields {
  const given = Object.fromEntries(Object.entries(metadata ?? {}).filter(([, v]) => v !== null && v !== '')) as Record<string, string>;
  for (const key of Object.keys(metadata ?? {})) {
    if (!TUS_METADATA_KEYS.includes(key) && !CLIENT_KEYS.includes(key)) {
      throw refuse(
        key,
        `Unknown Upload-Metadata key \`${key}\`: a tus upload takes ${TUS_METADATA_KEYS.map((k) => `\`${k}\``).join(', ')}.`,
      );
    }
  }
  for (const [key, max] of Object.entries(LIMITS)) {
    const value = given[key];
    if (value !== undefined && value.length > max) throw refuse(key, `\`${key}\` is limited to ${max} characters (got ${value.length}).`);
  }
  const policy = given['playback_policy'];
  if (policy !== undefined && !PLAYBACK_POLICIES.includes(policy as PlaybackPolicy)) {
    throw refuse('playback_policy', `\`playback_policy\` must be one of: ${PLAYBACK_POLICIES.join(', ')} (got ${JSON.stringify(policy)}).`);
  }
  const filetype = given['filetype'];
  if (filetype !== undefined && !MEDIA_CONTENT_TYPE.test(filetype)) {
    throw refuse(
      'filetype',
      `\`filetype\` must be a video/*, audio/* or application/octet-stream media type (got ${JSON.stringify(filetype)}).`,
    );
  }
  return {
    title: given['title'],
    passthrough: given['passthrough'],
    playbackPolicy: policy as PlaybackPolicy | undefined,
    contentType: filetype ?? 'application/octet-stream',
  };
}
