import { describe, expect, it } from 'vitest';
import { parseEncoders, parseFilters, parseMuxers } from '../src/index.ts';

// The listings as ffmpeg 5.1 prints them (legend, rule, rows).
describe('ffmpeg listings', () => {
  it('reads muxers, encoders by kind and filters', () => {
    expect(
      parseMuxers(
        'File formats:\n D. = Demuxing supported\n .E = Muxing supported\n --\n  E mp4             MP4\n D  mov,mp4,m4a     QuickTime\n DE matroska,webm  Matroska\n',
      ),
    ).toEqual(['matroska', 'mp4', 'webm']);
    expect(
      parseEncoders(
        'Encoders:\n V..... = Video\n ------\n V....D libx264              H.264\n A..... aac                  AAC\n S..... srt   SubRip\n',
      ),
    ).toEqual({ video: ['libx264'], audio: ['aac'] });
    expect(
      parseFilters(
        'Filters:\n  T.. = Timeline support\n TS. psnr              VV->V      PSNR.\n ... abuffer           |->A       Buffer.\n',
      ),
    ).toEqual(['abuffer', 'psnr']);
  });
});
