import { MediaError } from './errors.ts';
import { ffprobeJson } from './ffprobe.ts';
import type { RunOptions } from './process.ts';

export interface InitSegmentInfo {
  /** RFC 6381 strings, video first: ['avc1.64001f', 'mp4a.40.2']. */
  codecs: string[];
  width?: number;
  height?: number;
}

/**
 * Reads the codec strings an HLS master needs from a rendition's init segment. They come
 * from the decoder configuration records (avcC, AudioSpecificConfig), which hold the exact
 * profile, constraint flags, level and AAC object type the encoder chose; ffprobe cannot
 * tell profile or level from an init segment alone, since it has no frames to look at.
 */
export async function readInitSegment(initFile: string, opts: RunOptions = {}): Promise<InitSegmentInfo> {
  const { signal, timeoutMs, scratchRoot } = opts;
  const out = await ffprobeJson(initFile, ['-show_streams', '-show_data'], { signal, timeoutMs, scratchRoot, formatName: 'mov' });
  const info: InitSegmentInfo = { codecs: [] };
  const streams = out.streams ?? [];
  for (const s of streams.filter((x) => x.codec_type === 'video')) {
    const avcC = hexdumpBytes(s.extradata);
    if (s.codec_name !== 'h264' || avcC.length < 4 || avcC[0] !== 1) throw unexpected(initFile, 'an H.264 avcC record');
    info.codecs.push(`avc1.${hex(avcC[1]!)}${hex(avcC[2]!)}${hex(avcC[3]!)}`);
    if (s.width && s.height) {
      info.width = s.width;
      info.height = s.height;
    }
  }
  for (const s of streams.filter((x) => x.codec_type === 'audio')) {
    const asc = hexdumpBytes(s.extradata);
    if (s.codec_name !== 'aac' || asc.length < 2) throw unexpected(initFile, 'an AAC AudioSpecificConfig');
    // audioObjectType is the first 5 bits; 31 escapes to 32 + the next 6 bits.
    const first = asc[0]! >> 3;
    const objectType = first === 31 ? 32 + (((asc[0]! & 7) << 3) | (asc[1]! >> 5)) : first;
    info.codecs.push(`mp4a.40.${objectType}`);
  }
  return info;
}

/** ffprobe prints extradata as `xxd`-style lines: an 8-digit offset, 16 bytes in hex, then ASCII. */
function hexdumpBytes(dump: string | undefined): number[] {
  const bytes: number[] = [];
  for (const line of (dump ?? '').split('\n')) {
    const m = /^[0-9a-f]{8}: ((?:[0-9a-f]{2,4} )*[0-9a-f]{2,4})/i.exec(line);
    if (!m) continue;
    const digits = m[1]!.replace(/ /g, '');
    for (let i = 0; i + 1 < digits.length; i += 2) bytes.push(Number.parseInt(digits.slice(i, i + 2), 16));
  }
  return bytes;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

function unexpected(file: string, what: string): MediaError {
  return new MediaError('FFMPEG_FAILED', `Video processing failed: ${file} does not carry ${what}.`);
}
