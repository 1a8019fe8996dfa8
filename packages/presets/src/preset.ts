// What a preset is: the shape of a ladder an upload (or a job) is encoded to. Built-ins live
// here in code; an account's own are rows of account_presets (store.ts).

export type VideoCodec = 'h264' | 'h265' | 'av1';

export interface PresetVideo {
  codec: VideoCodec;
  /** The top rung's short side, 144..2160 (the default ladder: 1080). Rungs above it are left out. */
  max_height: number;
  /** high: bitrates × HIGH_QUALITY_FACTOR and a slower x264 preset. */
  quality: 'standard' | 'high';
  /** A centre crop to this aspect before scaling. */
  crop: null | '9:16' | '1:1';
}

export interface Preset {
  /** [a-z0-9][a-z0-9_-]{0,39}; built-ins cannot be overwritten. */
  name: string;
  description: string;
  builtin: boolean;
  /** null: audio only. */
  video: null | PresetVideo;
  audio: { codec: 'aac'; bitrate_kbps: number };
}

export const PRESET_NAME_PATTERN = '^[a-z0-9][a-z0-9_-]{0,39}$';
export const VIDEO_CODECS: readonly VideoCodec[] = ['h264', 'h265', 'av1'];
export const CROPS = ['9:16', '1:1'] as const;
export const MIN_MAX_HEIGHT = 144;
export const MAX_MAX_HEIGHT = 2160;
export const MIN_AUDIO_KBPS = 32;
export const MAX_AUDIO_KBPS = 320;
/** Bitrates of a `high` preset against `standard`. */
export const HIGH_QUALITY_FACTOR = 1.5;

const video = (v: Partial<PresetVideo> = {}): PresetVideo => ({ codec: 'h264', max_height: 1080, quality: 'standard', crop: null, ...v });
const aac = (bitrate_kbps: number) => ({ codec: 'aac' as const, bitrate_kbps });

export const BUILTIN_PRESETS: readonly Preset[] = Object.freeze(
  [
    { name: 'default', description: 'The default ladder: H.264 up to 1080p, AAC 128 kbit/s.', video: video(), audio: aac(128) },
    {
      name: 'high_quality',
      description: 'H.264 up to 1080p at 1.5× the bitrates and a slower encoder preset, AAC 192 kbit/s.',
      video: video({ quality: 'high' }),
      audio: aac(192),
    },
    { name: 'h265', description: 'H.265 (HEVC, hvc1) up to 1080p, AAC 128 kbit/s.', video: video({ codec: 'h265' }), audio: aac(128) },
    { name: 'av1', description: 'AV1 (SVT-AV1) up to 1080p, AAC 128 kbit/s.', video: video({ codec: 'av1' }), audio: aac(128) },
    { name: 'audio_only', description: 'Only the audio rendition: AAC 128 kbit/s, no video.', video: null, audio: aac(128) },
    {
      name: 'social_9x16',
      description: 'A centre crop to 9:16 (vertical), H.264 up to 1080p, AAC 128 kbit/s.',
      video: video({ crop: '9:16' }),
      audio: aac(128),
    },
    {
      name: 'social_1x1',
      description: 'A centre crop to 1:1 (square), H.264 up to 1080p, AAC 128 kbit/s.',
      video: video({ crop: '1:1' }),
      audio: aac(128),
    },
  ].map((p) => Object.freeze({ ...p, builtin: true })),
);

const builtins = new Map(BUILTIN_PRESETS.map((p) => [p.name, p]));

export function builtinPreset(name: string): Preset | undefined {
  return builtins.get(name);
}

export function isBuiltinName(name: string): boolean {
  return builtins.has(name);
}

/** The default ladder, which an upload without `preset=` gets. */
export const DEFAULT_PRESET: Preset = builtins.get('default')!;
