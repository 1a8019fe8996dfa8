import { describe, expect, it } from 'vitest';
import { CachedObject, isNotModified, resolveRange } from '../src/index.ts';
import { fullHeaders, notModifiedHeaders, partialHeaders } from '../src/http.ts';

const asset = '0b6a3c9e-4f2d-4c1a-9e8b-7d6c5b4a3f21';

describe('HTTP semantics', () => {
  const obj = new CachedObject(`${asset}/opener.mp4`, '/x', 1000, 1_700_000_000);

  it('derives validators the way nginx does', () => {
    expect(obj.etag).toBe(`"${(1_700_000_000).toString(16)}-3e8"`);
    expect(obj.lastModified).toBe('Tue, 14 Nov 2023 22:13:20 GMT');
  });

  it('resolves byte ranges', () => {
    expect(resolveRange(undefined, undefined, obj)).toBeUndefined();
    expect(resolveRange('bytes=0-99', undefined, obj)).toEqual({ start: 0, end: 99 });
    expect(resolveRange('bytes=900-', undefined, obj)).toEqual({ start: 900, end: 999 });
    expect(resolveRange('bytes=900-5000', undefined, obj)).toEqual({ start: 900, end: 999 });
    expect(resolveRange('bytes=-100', undefined, obj)).toEqual({ start: 900, end: 999 });
    expect(resolveRange('bytes=-5000', undefined, obj)).toEqual({ start: 0, end: 999 });
    expect(resolveRange('bytes=1000-', undefined, obj)).toBe('unsatisfiable');
    expect(resolveRange('bytes=-0', undefined, obj)).toBe('unsatisfiable');
    // Ignored, whole body: malformed, reversed, several ranges, another version in If-Range.
    expect(resolveRange('bytes=5-1', undefined, obj)).toBeUndefined();
    expect(resolveRange('items=0-1', undefined, obj)).toBeUndefined();
    expect(resolveRange('bytes=0-1,5-6', undefined, obj)).toBeUndefined();
    expect(resolveRange('bytes=0-1', '"other"', obj)).toBeUndefined();
    expect(resolveRange('bytes=0-1', obj.etag, obj)).toEqual({ start: 0, end: 1 });
  });

  it('answers conditional requests', () => {
    expect(isNotModified({ 'if-none-match': obj.etag }, obj)).toBe(true);
    expect(isNotModified({ 'if-none-match': `"a", W/${obj.etag}` }, obj)).toBe(true);
    expect(isNotModified({ 'if-none-match': '*' }, obj)).toBe(true);
    expect(isNotModified({ 'if-none-match': '"a"', 'if-modified-since': obj.lastModified }, obj)).toBe(false);
    expect(isNotModified({ 'if-modified-since': obj.lastModified }, obj)).toBe(true);
    expect(isNotModified({ 'if-modified-since': 'Mon, 13 Nov 2023 00:00:00 GMT' }, obj)).toBe(false);
    expect(isNotModified({}, obj)).toBe(false);
  });

  it('serves downloads as attachments named for the asset, and nothing else so', () => {
    const download = new CachedObject(`${asset}/static/highest.mp4`, '/x', 1000, 1_700_000_000);
    const disposition = (headers: string[]) => headers[headers.indexOf('content-disposition') + 1];
    const name = `attachment; filename="${asset}-highest.mp4"`;
    expect(disposition(fullHeaders(download, 'MISS'))).toBe(name);
    expect(disposition(partialHeaders(download, { start: 0, end: 9 }))).toBe(name);
    expect(disposition(notModifiedHeaders(download, 'HIT'))).toBe(name);
    expect(fullHeaders(obj, 'MISS')).not.toContain('content-disposition');
  });
});
