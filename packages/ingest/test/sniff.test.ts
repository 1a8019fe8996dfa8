import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, scratchDir } from '@kino/testkit';
import { MAX_ID3_BYTES, sniff, SNIFF_BYTES } from '../src/index.ts';

const exec = promisify(execFile);
const mp4Head = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(24)]);
const hls = '#EXTM3U\n#EXTINF:10,\nhttp://127.0.0.1:9/secret?x=.ts\n#EXT-X-ENDLIST\n';
const id3 = (size: number) =>
  Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
const MP3_FRAME = Buffer.from([0xff, 0xfb, 0x90, 0x64]);

/** What ingest does: sniff, and once more with the bytes an ID3 tag asks for. */
function verdict(file: Buffer): string {
  let r = sniff(file.subarray(0, SNIFF_BYTES));
  if (r.verdict === 'more') r = sniff(file.subarray(0, r.bytes));
  return r.verdict === 'more' ? 'more' : r.verdict;
}

let dir: string;
beforeAll(async () => {
  dir = await scratchDir('kino-sniff-');
});

describe('sniff', () => {
  it('knows common containers and refuses text and pictures', () => {
    expect(verdict(mp4Head)).toBe('media');
    expect(verdict(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 1, 2]))).toBe('media');
    expect(verdict(Buffer.from('OggS\0\x02'))).toBe('media');
    expect(verdict(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBe('media');
    expect(verdict(Buffer.concat([MP3_FRAME, Buffer.alloc(400)]))).toBe('media');
    expect(verdict(Buffer.from('hello, this is a plain text file\n'))).toBe('refuse');
    expect(verdict(Buffer.from('{"json": true}'))).toBe('refuse');
    expect(verdict(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBe('refuse'); // PNG
  });

  it('refuses playlists, manifests and file lists, bare or behind a media-looking prefix', () => {
    const shapes: Array<[string, Buffer]> = [
      ['HLS', Buffer.from(hls)],
      ['ID3 + HLS', Buffer.concat([id3(0), Buffer.from(hls)])],
      ['ID3 with padding + HLS', Buffer.concat([id3(64), Buffer.alloc(64), Buffer.from(hls)])],
      ['MPEG frame sync + HLS', Buffer.concat([MP3_FRAME, Buffer.from(hls)])],
      ['ADTS-looking bytes + HLS', Buffer.concat([Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f]), Buffer.from(hls)])],
      ['MP4 box + HLS', Buffer.concat([mp4Head, Buffer.from(hls)])],
      ['TS sync + HLS', Buffer.concat([Buffer.from('G'), Buffer.from(hls.padEnd(400, '#'))])],
      ['DASH', Buffer.from('<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011">')],
      ['ffconcat', Buffer.from("ffconcat version 1.0\nfile '/etc/passwd'\n")],
      ['ID3 + ffconcat', Buffer.concat([id3(0), Buffer.from("ffconcat version 1.0\nfile 'x'\n")])],
      ['SDP', Buffer.from('v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nm=video 5004 RTP/AVP 96\n')],
      ['PLS', Buffer.from('[playlist]\nFile1=http://127.0.0.1/x\n')],
    ];
    for (const [name, bytes] of shapes) expect([name, verdict(bytes)]).toEqual([name, 'refuse']);
    const r = sniff(Buffer.from(hls));
    expect(r).toMatchObject({ verdict: 'refuse', message: expect.stringMatching(/playlist, manifest or list of files/) });
  });

  it('an ID3 tag must be followed by audio frames; a long tag is read to its end, a huge one refused', () => {
    expect(verdict(Buffer.concat([id3(0), MP3_FRAME, Buffer.alloc(400)]))).toBe('media');
    expect(verdict(Buffer.concat([id3(0), Buffer.from('plain text after a tag')]))).toBe('refuse');
    const big = 100_000;
    const tagged = Buffer.concat([id3(big), Buffer.alloc(big), MP3_FRAME, Buffer.alloc(400)]);
    expect(sniff(tagged.subarray(0, SNIFF_BYTES))).toEqual({ verdict: 'more', bytes: 10 + big + SNIFF_BYTES });
    expect(verdict(tagged)).toBe('media');
    expect(verdict(Buffer.concat([id3(big), Buffer.alloc(big), Buffer.from(hls)]))).toBe('refuse');
    // Cut short inside the tag: still asking, which ingest treats as a refusal.
    expect(verdict(tagged.subarray(0, 5000))).toBe('more');
    expect(sniff(id3(MAX_ID3_BYTES)).verdict).toBe('refuse');
  });

  it('accepts real MP3s with and without a tag, and real ADTS AAC', async () => {
    const wav = await makeFixture('audio-only', join(dir, 'a.m4a'), { seconds: 1 });
    const mp3 = join(dir, 'a.mp3');
    const tagged = join(dir, 'tagged.mp3');
    const bare = join(dir, 'bare.mp3');
    const adts = join(dir, 'a.aac');
    await exec('ffmpeg', ['-v', 'error', '-i', wav, '-c:a', 'libmp3lame', '-f', 'mp3', mp3]).catch(async () =>
      // Debian's ffmpeg may lack LAME: MPEG-1 layer II frames share the header the sniff reads.
      exec('ffmpeg', ['-v', 'error', '-i', wav, '-c:a', 'mp2', '-f', 'mp3', mp3]),
    );
    await exec('ffmpeg', [
      '-v',
      'error',
      '-i',
      mp3,
      '-c',
      'copy',
      '-metadata',
      `comment=${'x'.repeat(50_000)}`,
      '-id3v2_version',
      '4',
      tagged,
    ]);
    await exec('ffmpeg', ['-v', 'error', '-i', mp3, '-c', 'copy', '-write_id3v2', '0', '-f', 'mp3', bare]);
    await exec('ffmpeg', ['-v', 'error', '-i', wav, '-c:a', 'copy', '-f', 'adts', adts]);
    for (const f of [mp3, tagged, bare, adts]) expect([f, verdict(await readFile(f))]).toEqual([f, 'media']);
    expect(sniff((await readFile(tagged)).subarray(0, SNIFF_BYTES)).verdict).toBe('more');
  });
});
