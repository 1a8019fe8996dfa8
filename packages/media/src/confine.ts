// What an ffmpeg or ffprobe run over user media may open. A media file can name other
// files: an HLS or DASH playlist lists segment URLs, ffconcat lists paths, image2 expands
// patterns, and every one of those demuxers opens what it is told to. So a run over user
// bytes gets a short allowlist of demuxers that read one self-contained file and open
// nothing else, and a protocol allowlist that holds only the transport of its own input;
// ffmpeg copies both lists to every nested open, so a nested open fails either way.
import { MediaError } from './errors.ts';

/**
 * Container demuxers that read one file and never a second. `mov` keeps its `enable_drefs`
 * default (off), so a QuickTime reference to an external file is not followed.
 */
export const MEDIA_DEMUXERS = ['mov', 'matroska', 'avi', 'flv', 'mpegts', 'mpeg', 'ogg', 'wav', 'flac', 'mp3', 'aac', 'asf'] as const;

/**
 * With `images`, the single-image demuxers too (a job's watermark, a probe of a thumbnail
 * output): each reads one file as one picture. Never `image2`, which expands patterns.
 */
export const IMAGE_DEMUXERS = ['png_pipe', 'jpeg_pipe', 'webp_pipe', 'gif'] as const;
const demuxerList = (images: boolean) => [...MEDIA_DEMUXERS, ...(images ? IMAGE_DEMUXERS : [])].join(',');

/**
 * The input arguments for one media file, ending in `-i`. A local path is read through
 * `file` alone; a presigned origin URL through its own transport alone. `formatName` is a
 * probe's answer (`mov,mp4,m4a,…`): once a file is probed, later runs name its demuxer
 * instead of letting ffmpeg guess again.
 */
export function mediaInput(src: string, formatName?: string, o: { images?: boolean } = {}): string[] {
  const url = /^https?:\/\//i.test(src);
  const protocols = !url ? 'file' : /^https:/i.test(src) ? 'https,tls,tcp' : 'http,tcp';
  const args = ['-protocol_whitelist', protocols, '-format_whitelist', demuxerList(o.images ?? false)];
  if (formatName !== undefined) args.push('-f', demuxerOf(formatName));
  // `file:` so that a colon in a path is never read as a protocol name.
  args.push('-i', url ? src : `file:${src}`);
  return args;
}

/** The allowlisted demuxer a probe's `format_name` list names. */
export function demuxerOf(formatName: string): string {
  const names = formatName.split(',');
  const demuxer = [...MEDIA_DEMUXERS, ...IMAGE_DEMUXERS].find((d) => names.includes(d));
  if (!demuxer) throw new MediaError('CORRUPT_SOURCE', 'The file is not in a supported media container.');
  return demuxer;
}

/**
 * Filters a Kino command may use. None of them opens a file, a device or a socket
 * (`movie`, `amovie`, `subtitles`, `ass`, `drawtext`, `zmq`, `sendcmd`, model and LUT
 * loaders all could); the sources at the end generate test input and read nothing.
 */
const FILTERS = new Set([
  'fps',
  'scale',
  'setsar',
  'crop',
  'format',
  'split',
  'asplit',
  'null',
  'anull',
  'signalstats',
  // Quality metrics (quality.ts); their stats/log/model file options are refused below.
  'psnr',
  'ssim',
  'libvmaf',
  'metadata',
  'thumbnail',
  'bwdif',
  'setparams',
  'zscale',
  'tonemap',
  'aformat',
  'aresample',
  'showwavespic',
  'overlay',
  'pad',
  'tile',
  'palettegen',
  'paletteuse',
  'trim',
  'tpad',
  'apad',
  'atrim',
  'setpts',
  'asetpts',
  'color',
  'testsrc',
  'testsrc2',
  'sine',
  'anullsrc',
  // For the jobs API's commands (command.ts, which builds its filter allowlist on this one):
  // picture and sound editing that reads nothing but its input pads.
  'crop',
  'pad',
  'transpose',
  'hflip',
  'vflip',
  'fade',
  'afade',
  'volume',
  'atempo',
  'concat',
  'amix',
  'palettegen',
  'paletteuse',
  'colorchannelmixer',
  'eq',
  'boxblur',
  'unsharp',
  'select',
  'aselect',
]);

const METRIC_FILTERS = new Set(['psnr', 'ssim', 'libvmaf']);

/** Whether a filter may appear in a graph: what the jobs API lets a user's command use. */
export const isAllowedFilter = (name: string): boolean => FILTERS.has(name);
/** Filter options that name a file to read or write (`metadata=…:file=` writes one). */
const FILE_OPTION = /(?:^|[:=])\s*(?:file|filename|textfile|fontfile|stats_file|log_path|model|model_path|psfile)\s*=/i;
/** Options that read or write a file the command does not otherwise name. */
const FILE_OPTIONS = new Set([
  'filter_script',
  'filter_complex_script',
  'attach',
  'dump_attachment',
  'passlogfile',
  'vstats_file',
  'sdp_file',
]);
/** Options whose value is a filter graph. */
const GRAPH_OPTIONS = new Set(['vf', 'af', 'filter', 'filter_complex', 'lavfi']);
/** A filter argument that names a file or a protocol: `/abs`, `file:x`, `http://…`, `../x`. */
const FILE_VALUE = /^(?:\/|~|\.\.|[a-z][a-z0-9+.-]*:)/i;

/**
 * Refuses a command that could read or write anything but what it names: every `-i` must be
 * confined by `mediaInput` (or be a `lavfi` source graph, which generates frames), and every
 * filter graph must use allowlisted filters without file options. Runs before every spawn,
 * so a feature that forgets the rules fails loudly instead of opening a hole.
 */
export function assertConfined(args: readonly string[]): void {
  let sinceInput: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    // `-filter:v:0`, `-dump_attachment:t`: the name is what comes before a stream specifier.
    const name = arg.startsWith('-') ? arg.slice(1).split(':')[0]! : '';
    if (FILE_OPTIONS.has(name)) refuse(`the option ${arg} is not allowed`);
    if (GRAPH_OPTIONS.has(name)) checkGraph(args[i + 1] ?? '');
    if (arg === '-i') {
      const format = optionValue(sinceInput, '-f');
      if (format === 'lavfi') checkGraph(args[i + 1] ?? '');
      else {
        const protocols = optionValue(sinceInput, '-protocol_whitelist');
        if (!protocols || !/^(?:file|https?,tcp|https,tls,tcp)$/.test(protocols)) refuse('an input has no protocol allowlist');
        const demuxers = optionValue(sinceInput, '-format_whitelist');
        if (demuxers !== demuxerList(false) && demuxers !== demuxerList(true)) refuse('an input has no demuxer allowlist');
        if (format !== undefined && !demuxers.split(',').includes(format)) refuse(`the demuxer ${format} is not allowed`);
      }
      sinceInput = [];
      i++;
      continue;
    }
    sinceInput.push(arg);
  }
}

function optionValue(args: string[], option: string): string | undefined {
  const at = args.lastIndexOf(option);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Filter names of a graph: `[in]name=args,name2[out];…`, labels stripped. */
export function filterNames(graph: string): string[] {
  if (/['"\\]/.test(graph)) refuse('quoted or escaped filter graphs are not allowed');
  return graph
    .split(/[;,]/)
    .map((f) => f.trim().replace(/^(?:\[[^\]]*\])+/, ''))
    .filter(Boolean)
    .map((f) => {
      const eq = f.indexOf('=');
      const name = (eq < 0 ? f : f.slice(0, eq)).replace(/(?:\[[^\]]*\])+$/, '').replace(/@.*$/, '');
      if (eq >= 0) {
        // Their first positional argument is a stats file: written in the scratch directory, unbounded.
        if (METRIC_FILTERS.has(name)) refuse(`the filter ${name} takes no arguments here`);
        const params = f.slice(eq + 1).replace(/(?:\[[^\]]*\])+$/, '');
        // Named (`file=…`) or positional (metadata's sixth argument is its file).
        if (FILE_OPTION.test(`=${params}`)) refuse(`the filter ${name} may not name a file`);
        for (const p of params.split(':'))
          if (FILE_VALUE.test(p.slice(p.indexOf('=') + 1))) refuse(`the filter ${name} may not name a file`);
      }
      return name;
    });
}

function checkGraph(graph: string): void {
  for (const name of filterNames(graph)) if (!FILTERS.has(name)) refuse(`the filter ${name} is not allowed`);
}

function refuse(why: string): never {
  throw new MediaError('UNSAFE_COMMAND', `Refused to run ffmpeg: ${why}.`);
}
