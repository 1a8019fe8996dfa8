// Recognises media containers by their first bytes, so that a text file or an image sent
// as video/mp4 is refused at the door (415) instead of costing an upload and an ffprobe.
// It answers "obviously not media"; ffprobe still has the last word on the rest.

/** How many leading bytes `looksLikeMedia` wants to see. */
export const SNIFF_BYTES = 188 * 2 + 1;

const ascii = (buf: Buffer, at: number, s: string) => buf.length >= at + s.length && buf.toString('latin1', at, at + s.length) === s;

export function looksLikeMedia(head: Buffer): boolean {
  return (
    ascii(head, 4, 'ftyp') || // MP4, MOV, M4A, 3GP
    ascii(head, 4, 'moov') || ascii(head, 4, 'mdat') || ascii(head, 4, 'free') || ascii(head, 4, 'wide') || // older QuickTime
    (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) || // Matroska, WebM
    (ascii(head, 0, 'RIFF') && (ascii(head, 8, 'AVI ') || ascii(head, 8, 'WAVE'))) ||
    ascii(head, 0, 'FLV') ||
    ascii(head, 0, 'OggS') ||
    ascii(head, 0, 'fLaC') ||
    ascii(head, 0, 'ID3') || // MP3 with a tag
    (head[0] === 0xff && head.length > 1 && (head[1]! & 0xe0) === 0xe0) || // MPEG audio / ADTS AAC frame sync
    (head[0] === 0x00 && head[1] === 0x00 && head[2] === 0x01 && head[3] === 0xba) || // MPEG program stream
    (head[0] === 0x47 && (head.length < 189 || head[188] === 0x47)) || // MPEG transport stream
    (head[0] === 0x30 && head[1] === 0x26 && head[2] === 0xb2 && head[3] === 0x75) // ASF, WMV
  );
}
