export interface MediaPlaylist {
  /** URI of the EXT-X-MAP init segment, as written in the playlist. */
  initUri?: string;
  segments: Array<{ uri: string; durationSec: number }>;
}

/** Reads the parts of a VOD media playlist that the master and the uploader need. */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  const playlist: MediaPlaylist = { segments: [] };
  let pendingDuration: number | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-MAP:')) {
      const uri = /URI="([^"]*)"/.exec(line)?.[1];
      if (uri !== undefined) playlist.initUri = uri;
    } else if (line.startsWith('#EXTINF:')) {
      pendingDuration = Number.parseFloat(line.slice('#EXTINF:'.length));
    } else if (line && !line.startsWith('#') && pendingDuration !== undefined) {
      playlist.segments.push({ uri: line, durationSec: pendingDuration });
      pendingDuration = undefined;
    }
  }
  return playlist;
}

export interface Variant {
  uri: string;
  /** Peak segment bit rate, bits/s. */
  bandwidth: number;
  averageBandwidth: number;
  /** Comma-separated RFC 6381 codec strings. */
  codecs: string;
  width?: number;
  height?: number;
  fps?: number;
}

/**
 * HLS bandwidths per RFC 8216 §4.3.4.2: BANDWIDTH is the highest bit rate of any segment,
 * AVERAGE-BANDWIDTH the whole playlist's. Sizes are the bytes a player downloads per segment.
 */
export function segmentBandwidths(segments: Array<{ durationSec: number; bytes: number }>): { peak: number; average: number } {
  let peak = 0;
  let bytes = 0;
  let seconds = 0;
  for (const s of segments) {
    if (s.durationSec > 0) peak = Math.max(peak, (s.bytes * 8) / s.durationSec);
    bytes += s.bytes;
    seconds += s.durationSec;
  }
  return { peak: Math.ceil(peak), average: seconds > 0 ? Math.ceil((bytes * 8) / seconds) : 0 };
}

export function renderMasterPlaylist(variants: Variant[]): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const v of variants) {
    const attrs = [`BANDWIDTH=${v.bandwidth}`, `AVERAGE-BANDWIDTH=${v.averageBandwidth}`];
    if (v.width && v.height) attrs.push(`RESOLUTION=${v.width}x${v.height}`);
    attrs.push(`CODECS="${v.codecs}"`);
    if (v.fps) attrs.push(`FRAME-RATE=${v.fps.toFixed(3)}`);
    lines.push(`#EXT-X-STREAM-INF:${attrs.join(',')}`, v.uri);
  }
  return `${lines.join('\n')}\n`;
}
