// Recognises media containers by their first bytes, so that a text file or an image sent
// as video/mp4 is refused at the door (415) instead of costing an upload and an ffprobe.
// It also refuses text that hides behind a media-looking prefix (an ID3 tag, a frame sync
// byte) — playlists, manifests and concat lists name other files, and are never uploads.
// ffprobe still has the last word, over an allowlist of media demuxers (see @kino/media).

/** How many leading bytes `sniff` wants to see first. */
export const SNIFF_BYTES = 188 * 2 + 1;
/** An ID3 tag (cover art included) larger than this is refused rather than buffered. */
export const MAX_ID3_BYTES = 2 * 1024 * 1024;

export type SniffResult =
  | { verdict: 'media' }
  | { verdict: 'refuse'; message: string }
  /** An ID3 tag: the bytes after it decide, so read this many from the start and ask again. */
  | { verdict: 'more'; bytes: number };

/** The content types a source may be declared as, by every door (the sniff decides what it is). */
export const MEDIA_CONTENT_TYPE = /^(video|audio)\/[\w.+-]{1,100}$|^application\/octet-stream$/;

export const NOT_MEDIA = 'The body does not look like a video or audio file.';
const NAMES_FILES = 'The body is a playlist, manifest or list of files, not a video or audio file: upload the media itself.';

/**
 * Markers of text formats whose demuxers open other files or addresses (HLS, DASH, SMIL,
 * PLS, ffconcat), looked for anywhere in the head: behind a binary prefix is where they hide.
 */
const MANIFEST_MARKERS = ['#EXTM3U', '#EXT-X-', '#EXTINF', 'ffconcat', '<MPD', '<SMIL', '<smil', '[playlist]'].map((m) =>
  Buffer.from(m, 'latin1'),
);

const ascii = (buf: Buffer, at: number, s: string) => buf.length >= at + s.length && buf.toString('latin1', at, at + s.length) === s;

export function sniff(head: Buffer): SniffResult {
  if (ascii(head, 0, 'ID3')) return afterId3(head);
  if (namesFiles(head.subarray(0, SNIFF_BYTES))) return { verdict: 'refuse', message: NAMES_FILES };
  return containerAt(head, 0) ? { verdict: 'media' } : { verdict: 'refuse', message: NOT_MEDIA };
}

/** An ID3v2 tag is metadata only: MPEG audio or ADTS frames must follow it. */
function afterId3(head: Buffer): SniffResult {
  if (head.length < 10) return { verdict: 'refuse', message: NOT_MEDIA };
  // Sizes are "syncsafe": 7 bits a byte. A footer (flag 0x10) adds 10 more bytes.
  const size = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
  const end = 10 + size + (head[5]! & 0x10 ? 10 : 0);
  if (end > MAX_ID3_BYTES)
    return { verdict: 'refuse', message: 'The file starts with an ID3 tag larger than 2 MiB; strip it and upload again.' };
  const want = end + SNIFF_BYTES;
  if (head.length < want && head.length < end + 6) return { verdict: 'more', bytes: want };
  const rest = head.subarray(end, want);
  if (namesFiles(rest)) return { verdict: 'refuse', message: NAMES_FILES };
  return audioFrameAt(rest, 0) ? { verdict: 'media' } : { verdict: 'refuse', message: NOT_MEDIA };
}

function namesFiles(bytes: Buffer): boolean {
  // An SDP description (RTP sessions) starts with its version line.
  return MANIFEST_MARKERS.some((m) => bytes.includes(m)) || /^v=0\r?\n/.test(bytes.toString('latin1', 0, 5));
}

function containerAt(head: Buffer, at: number): boolean {
  const b = (i: number) => head[at + i];
  return (
    ascii(head, at + 4, 'ftyp') || // MP4, MOV, M4A, 3GP
    ascii(head, at + 4, 'moov') ||
    ascii(head, at + 4, 'mdat') ||
    ascii(head, at + 4, 'free') ||
    ascii(head, at + 4, 'wide') || // older QuickTime
    (b(0) === 0x1a && b(1) === 0x45 && b(2) === 0xdf && b(3) === 0xa3) || // Matroska, WebM
    (ascii(head, at, 'RIFF') && (ascii(head, at + 8, 'AVI ') || ascii(head, at + 8, 'WAVE'))) ||
    ascii(head, at, 'FLV') ||
    ascii(head, at, 'OggS') ||
    ascii(head, at, 'fLaC') ||
    (b(0) === 0x00 && b(1) === 0x00 && b(2) === 0x01 && b(3) === 0xba) || // MPEG program stream
    transportStream(head) ||
    (b(0) === 0x30 && b(1) === 0x26 && b(2) === 0xb2 && b(3) === 0x75) || // ASF, WMV
    audioFrameAt(head, at)
  );
}

/** MPEG-TS: a sync byte every 188 bytes, in every packet the head holds. */
function transportStream(head: Buffer): boolean {
  if (head[0] !== 0x47) return false;
  for (let i = 188; i < head.length; i += 188) if (head[i] !== 0x47) return false;
  return true;
}

/**
 * A plausible MPEG audio (MP1/2/3) or ADTS AAC frame header, not merely a sync byte: the
 * fields that have reserved values must not hold them.
 */
export function audioFrameAt(buf: Buffer, at: number): boolean {
  if (buf.length < at + 4) return false;
  const b0 = buf[at]!;
  const b1 = buf[at + 1]!;
  const b2 = buf[at + 2]!;
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const layer = (b1 >> 1) & 3;
  if (layer === 0) {
    // ADTS: a 12-bit sync, a sampling index below 13, a frame at least as long as its header.
    if (buf.length < at + 6 || (b1 & 0xf0) !== 0xf0) return false;
    const frameLength = ((buf[at + 3]! & 3) << 11) | (buf[at + 4]! << 3) | (buf[at + 5]! >> 5);
    return ((b2 >> 2) & 0xf) < 13 && frameLength >= 7;
  }
  const version = (b1 >> 3) & 3;
  const bitrate = b2 >> 4;
  const sampleRate = (b2 >> 2) & 3;
  return version !== 1 && bitrate !== 15 && sampleRate !== 3;
}
