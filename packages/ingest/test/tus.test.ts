import { ApiError } from '@kino/http';
import { ERRORS } from '@tus/utils';
import { describe, expect, it } from 'vitest';
import { readTusMetadata, tusRefusal } from '../src/index.ts';

describe('readTusMetadata', () => {
  it('reads the asset’s fields, a key without a value or with an empty one counting as absent', () => {
    expect(readTusMetadata({ title: 'Hi', passthrough: 'p', playback_policy: 'public', filetype: 'video/webm' })).toEqual({
      title: 'Hi',
      passthrough: 'p',
      playbackPolicy: 'public',
      contentType: 'video/webm',
    });
    expect(readTusMetadata({ title: null, filetype: '' })).toEqual({
      title: undefined,
      passthrough: undefined,
      playbackPolicy: undefined,
      contentType: 'application/octet-stream',
    });
    expect(readTusMetadata(undefined).contentType).toBe('application/octet-stream');
  });

  it('reads past the keys tus clients add of their own accord (Uppy)', () => {
    const uppy = { name: 'a.mp4', type: 'video/mp4', filename: 'a.mp4', filetype: 'video/mp4', relativePath: 'null' };
    expect(readTusMetadata(uppy)).toMatchObject({ title: undefined, contentType: 'video/mp4' });
  });

  it('refuses unknown keys and values out of bounds, naming the key', () => {
    const refused = (metadata: Record<string, string | null>) => {
      try {
        readTusMetadata(metadata);
      } catch (err) {
        expect(err).toBeInstanceOf(ApiError);
        expect((err as ApiError).status).toBe(400);
        return ((err as ApiError).details as { path: string }[])[0]!.path;
      }
      throw new Error(`accepted ${JSON.stringify(metadata)}`);
    };
    expect(refused({ titel: 'a' })).toBe('Upload-Metadata.titel');
    expect(refused({ title: 'x'.repeat(513) })).toBe('Upload-Metadata.title');
    expect(refused({ passthrough: 'x'.repeat(2049) })).toBe('Upload-Metadata.passthrough');
    expect(refused({ playback_policy: 'open' })).toBe('Upload-Metadata.playback_policy');
    expect(refused({ filetype: 'application/vnd.apple.mpegurl' })).toBe('Upload-Metadata.filetype');
  });
});

describe('tusRefusal', () => {
  it('says the library’s refusals in the API’s codes and passes anything else on', () => {
    const code = (error: unknown, status = 500, body = '') => (tusRefusal(error, { status, body }, 100) as ApiError).code;
    expect(code(ERRORS.INVALID_OFFSET)).toBe('UPLOAD_OFFSET_MISMATCH');
    expect(code(ERRORS.ERR_MAX_SIZE_EXCEEDED)).toBe('PAYLOAD_TOO_LARGE');
    expect(code(ERRORS.FILE_NOT_FOUND)).toBe('NOT_FOUND');
    expect(code(undefined, 400, 'Invalid upload-offset\n')).toBe('VALIDATION_ERROR');
    expect(code(undefined, 400, 'Invalid content-type\n')).toBe('UNSUPPORTED_CONTENT_TYPE');
    const ours = new ApiError(415, 'NOT_MEDIA', 'not media');
    expect(tusRefusal(ours, { status: 500, body: '' }, 100)).toBe(ours);
    const fault = new Error('S3 is away');
    expect(tusRefusal(fault, { status: 500, body: '' }, 100)).toBe(fault);
  });
});
