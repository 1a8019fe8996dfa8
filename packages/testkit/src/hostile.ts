// Uploads an attacker would send to make ffmpeg fetch a URL inside the platform or read a
// file on the worker's disk, and the tripwires that notice when it does: a loopback TCP
// listener that counts connections, and a canary that notices being opened.
import { execFile } from 'node:child_process';
import { open, symlink, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ffmpeg } from './fixtures.ts';

export interface Listener {
  /** `http://127.0.0.1:{port}` */
  url: string;
  port: number;
  connections: number;
  close(): Promise<void>;
}

/** A loopback listener that counts every connection and answers none. */
export async function connectionCounter(): Promise<Listener> {
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server: Server = createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return state.connections;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Canary {
  /** An absolute path a payload names; opening it for reading trips the wire. */
  path: string;
  /** Other names for the same canary (an image-pattern's first frame). */
  dir: string;
  readonly opened: boolean;
  close(): Promise<void>;
}

/**
 * A named pipe: opening a FIFO for writing waits until someone opens it for reading, so the
 * pending write-open settles exactly when a process opens the canary, whatever it then
 * reads. `close` opens the read end itself (after marking that it is us) to release it.
 */
export async function canaryFile(dir: string): Promise<Canary> {
  const path = join(dir, 'canary-secret.mp4');
  await promisify(execFile)('mkfifo', [path]);
  // The first frame an image pattern `frame-%03d.bmp` expands to is the same canary.
  await symlink(path, join(dir, 'frame-001.bmp'));
  const state = { opened: false, closing: false };
  const writer = open(path, 'w').then(async (fh) => {
    if (!state.closing) state.opened = true;
    await fh.close();
  });
  return {
    path,
    dir,
    get opened() {
      return state.opened;
    },
    async close() {
      state.closing = true;
      const reader = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
      await writer;
      await reader.close();
    },
  };
}

export interface HostilePayload {
  name: string;
  file: string;
  /** A real, playable video that carries the playlist inside it: processing succeeds. */
  playable: boolean;
}

const ID3 = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
/** One MPEG-1 layer III frame header (128 kb/s, 44.1 kHz), as a sniff would look for. */
const MPEG_SYNC = Buffer.from([0xff, 0xfb, 0x90, 0x00]);

/**
 * Every shape of "a media file that names other files" these tests know, each naming both
 * the listener (`net.url`) and the canary. Written to `dir`.
 */
export async function hostilePayloads(dir: string, net: Listener, canary: Canary): Promise<HostilePayload[]> {
  const hls =
    '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n' +
    `#EXTINF:10,\n${net.url}/internal-secret?x=.ts\n#EXTINF:10,\nfile:${canary.path}\n#EXT-X-ENDLIST\n`;
  const hlsLocalFirst = `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n${canary.path}\n#EXTINF:10,\n${net.url}/second.ts\n#EXT-X-ENDLIST\n`;
  const dash =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT10S" minBufferTime="PT1S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">\n' +
    `<BaseURL>${net.url}/dash/</BaseURL><Period><AdaptationSet mimeType="video/mp4"><Representation id="v" bandwidth="1000" codecs="avc1.64001f" width="64" height="64">` +
    '<BaseURL>v.mp4</BaseURL><SegmentBase indexRange="0-100"><Initialization range="0-50"/></SegmentBase></Representation></AdaptationSet></Period></MPD>\n';
  const concat = `ffconcat version 1.0\nfile '${canary.path}'\nfile '${net.url}/concat.mp4'\n`;
  const pattern = `ffconcat version 1.0\nfile 'file:${join(canary.dir, 'frame-%03d.bmp')}'\n`;
  // EXT-X-KEY and EXT-X-MAP fetch before any segment; `subfile` wraps a local path in a
  // protocol the default allowlist of a local file does not name.
  const keyAndMap =
    '#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:10\n' +
    `#EXT-X-KEY:METHOD=AES-128,URI="${net.url}/key"\n#EXT-X-MAP:URI="${net.url}/map"\n` +
    `#EXTINF:10,\nsubfile,,start,0,end,0,,:${canary.path}\n#EXT-X-ENDLIST\n`;

  const text = async (name: string, ...parts: Array<string | Buffer>) => {
    const file = join(dir, name);
    await writeFile(file, Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
    return { name, file, playable: false };
  };
  const payloads = [
    await text('plain-hls', hls),
    await text('plain-hls-local-first', hlsLocalFirst),
    await text('id3-hls', ID3, hls),
    await text('dash-mpd', dash),
    await text('ffconcat', concat),
    await text('image-pattern', pattern),
    await text('hls-key-map-subfile', keyAndMap),
    await text('mpeg-sync-hls', MPEG_SYNC, hls),
    await text('id3-ffconcat', ID3, concat),
  ];

  // Real videos with the playlist inside: as an attachment and a subtitle (text) track.
  const playlist = join(dir, 'inner.m3u8');
  await writeFile(playlist, hls);
  const srt = join(dir, 'inner.srt');
  await writeFile(srt, `1\n00:00:00,000 --> 00:00:01,000\n${hls}\n`);
  const video = ['-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=10:duration=1'];
  const mkv = join(dir, 'mkv-attachment');
  // biome-ignore format: ffmpeg options read in pairs
  await ffmpeg([...video, '-i', srt, '-attach', playlist, '-metadata:s:t', 'mimetype=application/vnd.apple.mpegurl',
    '-map', '0:v', '-map', '1:s', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:s', 'srt', '-f', 'matroska', mkv]);
  const mp4 = join(dir, 'mp4-text-track');
  await ffmpeg([
    ...video,
    '-i',
    srt,
    '-map',
    '0:v',
    '-map',
    '1:s',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-c:s',
    'mov_text',
    '-f',
    'mp4',
    mp4,
  ]);
  payloads.push({ name: 'mkv-attachment', file: mkv, playable: true }, { name: 'mp4-text-track', file: mp4, playable: true });
  return payloads;
}
