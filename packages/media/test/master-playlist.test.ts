import { describe, expect, it } from 'vitest';
import { parseMediaPlaylist, renderMasterPlaylist } from '../src/master-playlist.ts';

describe('media playlists', () => {
  it('reads the init segment and each segment with its duration', () => {
    const text = [
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      '#EXT-X-TARGETDURATION:4',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-MAP:URI="init.mp4"',
      '#EXTINF:4.000000,',
      '0.m4s',
      '#EXTINF:1.500000,',
      '1.m4s',
      '#EXT-X-ENDLIST',
      '',
    ].join('\n');
    expect(parseMediaPlaylist(text)).toEqual({
      initUri: 'init.mp4',
      segments: [
        { uri: '0.m4s', durationSec: 4 },
        { uri: '1.m4s', durationSec: 1.5 },
      ],
    });
  });

  it('writes one STREAM-INF per variant, leaving out what audio has not got', () => {
    const text = renderMasterPlaylist([
      {
        uri: '720p/index.m3u8',
        bandwidth: 3_000_000,
        averageBandwidth: 2_800_000,
        codecs: 'avc1.64001f,mp4a.40.2',
        width: 1280,
        height: 720,
        fps: 30000 / 1001,
      },
      { uri: 'audio/index.m3u8', bandwidth: 130_000, averageBandwidth: 129_000, codecs: 'mp4a.40.2' },
    ]);
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-STREAM-INF:BANDWIDTH=3000000,AVERAGE-BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=29.970',
        '720p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=130000,AVERAGE-BANDWIDTH=129000,CODECS="mp4a.40.2"',
        'audio/index.m3u8',
        '',
      ].join('\n'),
    );
  });
});
