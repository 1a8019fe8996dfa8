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
  /** GROUP-ID of the EXT-X-MEDIA audio rendition this variant plays with. */
  audioGroup?: string;
}

/** An alternative audio rendition (EXT-X-MEDIA TYPE=AUDIO). */
export interface AudioMedia {
  group: string;
  name: string;
  uri: string;
}

export function renderMasterPlaylist(variants: Variant[], audio: AudioMedia[] = []): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const a of audio) {
    lines.push(`#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${a.group}",NAME="${a.name}",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="${a.uri}"`);
  }
  for (const v of variants) {
    const attrs = [`BANDWIDTH=${v.bandwidth}`, `AVERAGE-BANDWIDTH=${v.averageBandwidth}`];
    if (v.width && v.height) attrs.push(`RESOLUTION=${v.width}x${v.height}`);
    attrs.push(`CODECS="${v.codecs}"`);
    if (v.fps) attrs.push(`FRAME-RATE=${v.fps.toFixed(3)}`);
    if (v.audioGroup) attrs.push(`AUDIO="${v.audioGroup}"`);
    lines.push(`#EXT-X-STREAM-INF:${attrs.join(',')}`, v.uri);
  }
  return `${lines.join('\n')}\n`;
}
