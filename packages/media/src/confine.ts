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
 * Filters a Kino command may use, each with the arguments it may take, in ffmpeg's order
 * (`|` joins an option's aliases). ffmpeg gives a positional argument the option at its
 * place, so the list is also what positional arguments can reach: it stops before the first
 * option that is refused (metadata's `expr`, `file`; paletteuse's `debug_kdtree`), and an
 * argument not in it, named or by place, is refused. None of these filters opens a file, a
 * device or a socket (`movie`, `amovie`, `subtitles`, `ass`, `drawtext`, `zmq`, `sendcmd`,
 * model and LUT loaders all could); the sources generate test input and read nothing.
 */
const FILTER_ARGS: Record<string, string> = {
  fps: 'fps start_time round eof_action',
  scale:
    'w|width h|height flags interl in_color_matrix out_color_matrix in_range out_range in_v_chr_pos in_h_chr_pos out_v_chr_pos out_h_chr_pos force_original_aspect_ratio force_divisible_by param0 param1 eval',
  setsar: 'sar|ratio|r max',
  crop: 'out_w|w out_h|h x y keep_aspect exact',
  format: 'pix_fmts',
  split: 'outputs',
  asplit: 'outputs',
  null: '',
  anull: '',
  signalstats: 'stat out c|color',
  // Quality metrics (quality.ts): their first argument is a stats file; they run bare.
  psnr: '',
  ssim: '',
  libvmaf: '',
  metadata: 'mode key value function',
  thumbnail: 'n',
  bwdif: 'mode parity deint',
  setparams: 'field_mode range color_primaries color_trc colorspace',
  zscale:
    'w|width h|height size|s dither|d filter|f out_range|range|r primaries|p transfer|t matrix|m in_range|rangein|rin primariesin|pin transferin|tin matrixin|min chromal|c chromalin|cin npl agamma param_a param_b',
  tonemap: 'tonemap param desat peak',
  aformat: 'sample_fmts|f sample_rates|r channel_layouts|cl',
  aresample: 'sample_rate',
  showwavespic: 'size|s split_channels colors scale draw filter',
  overlay: 'x y eof_action eval shortest format repeatlast alpha',
  // Not `aspect`: it widens the frame by a ratio the size bound below cannot see.
  pad: 'width|w height|h x y color eval',
  tile: 'layout nb_frames margin padding color overlap init_padding',
  palettegen: 'max_colors reserve_transparent transparency_color stats_mode use_alpha',
  paletteuse: 'dither bayer_scale diff_mode new alpha_threshold use_alpha',
  trim: 'start starti end endi start_pts end_pts duration durationi start_frame end_frame',
  atrim: 'start starti end endi start_pts end_pts duration durationi start_sample end_sample',
  tpad: 'start stop start_mode stop_mode start_duration stop_duration color',
  apad: 'packet_size pad_len whole_len pad_dur whole_dur',
  setpts: 'expr',
  asetpts: 'expr',
  color: 'color|c size|s rate|r duration|d sar',
  testsrc: 'size|s rate|r duration|d sar decimals|n',
  testsrc2: 'size|s rate|r duration|d sar alpha',
  sine: 'frequency|f beep_factor|b sample_rate|r duration|d samples_per_frame',
  anullsrc: 'channel_layout|cl sample_rate|r nb_samples|n duration|d',
  // For the jobs API's commands (command.ts): picture and sound editing that reads nothing
  // but its input pads.
  transpose: 'dir passthrough',
  hflip: '',
  vflip: '',
  fade: 'type|t start_frame|s nb_frames|n alpha start_time|st duration|d color|c',
  afade: 'type|t start_sample|ss nb_samples|ns start_time|st duration|d curve|c',
  volume: 'volume precision eval replaygain replaygain_preamp replaygain_noclip',
  atempo: 'tempo',
  concat: 'n v a',
  amix: 'inputs duration dropout_transition weights normalize',
  colorchannelmixer: 'rr rg rb ra gr gg gb ga br bg bb ba ar ag ab aa pc pa',
  eq: 'contrast brightness saturation gamma gamma_r gamma_g gamma_b gamma_weight eval',
  boxblur: 'luma_radius|lr luma_power|lp chroma_radius|cr chroma_power|cp alpha_radius|ar alpha_power|ap',
  unsharp:
    'luma_msize_x|lx luma_msize_y|ly luma_amount|la chroma_msize_x|cx chroma_msize_y|cy chroma_amount|ca alpha_msize_x|ax alpha_msize_y|ay alpha_amount|aa',
  select: 'expr|e outputs|n',
  aselect: 'expr|e outputs|n',
};
/** Per filter: its arguments by place (each a list of aliases, the first the option's name). */
const FILTERS = new Map(
  Object.entries(FILTER_ARGS).map(([name, args]) => [name, args === '' ? [] : args.split(' ').map((a) => a.split('|'))]),
);
/** Arguments that are expressions or ratios (`iw/2`, `30000/1001`, `PTS/2`): the only ones that may hold a `/`. */
const EXPRESSION_ARGS = new Set([
  'fps.fps',
  'scale.w',
  'scale.h',
  'setsar.sar',
  'crop.out_w',
  'crop.out_h',
  'crop.x',
  'crop.y',
  'pad.width',
  'pad.height',
  'pad.x',
  'pad.y',
  'overlay.x',
  'overlay.y',
  'setpts.expr',
  'asetpts.expr',
  'select.expr',
  'aselect.expr',
  'color.rate',
  'color.sar',
  'testsrc.rate',
  'testsrc.sar',
  'testsrc2.rate',
  'testsrc2.sar',
  'volume.volume',
]);
const EXPRESSION = /^[A-Za-z0-9_.+\-*/()<>]+$/;
/** Picture sizes (`WxH` or one side) that are bounded: a huge frame costs memory before anything else. */
const SIZE_ARGS = new Set([
  'scale.w',
  'scale.h',
  'pad.width',
  'pad.height',
  'zscale.w',
  'zscale.h',
  'zscale.size',
  'showwavespic.size',
  'color.size',
  'testsrc.size',
  'testsrc2.size',
]);
/** The largest picture a graph may make: 8K UHD, either way round. */
export const MAX_PICTURE = { side: 7680, pixels: 7680 * 4320 } as const;
/** tile's grid: a contact sheet, not a way to multiply a frame's size without bound. */
const MAX_TILES = 64;
/** split's copies: each is a frame queue of its own. */
const MAX_SPLIT = 16;
/** Sample rates a source or resampler may ask for. */
export const MAX_SAMPLE_RATE = 192_000;
const RATE_ARGS = new Set(['aresample.sample_rate', 'sine.sample_rate', 'anullsrc.sample_rate', 'aformat.sample_rates']);

/** Whether a filter may appear in a graph: what the jobs API lets a user's command use. */
export const isAllowedFilter = (name: string): boolean => FILTERS.has(name);

/** Whether `WxH` (or one side, `n`) is within MAX_PICTURE; expressions and size names pass (ffmpeg's names stop at 8K). */
export function withinPicture(value: string): boolean {
  const m = /^(\d+)(?:x(\d+))?$/.exec(value);
  if (!m) return true;
  const w = Number(m[1]);
  const h = m[2] === undefined ? 1 : Number(m[2]);
  return w <= MAX_PICTURE.side && h <= MAX_PICTURE.side && w * h <= MAX_PICTURE.pixels;
}

/** Checks one filter's arguments against its list; `params` is what follows `name=`. */
function checkFilterArgs(name: string, params: string): void {
  const args = FILTERS.get(name);
  if (!args) return; // not allowed at all: checkGraph names it
  if (args.length === 0) refuse(`the filter ${name} takes no arguments here`);
  let named = false;
  params.split(':').forEach((p, place) => {
    const eq = p.indexOf('=');
    const key = eq < 0 ? undefined : p.slice(0, eq);
    // After a named argument ffmpeg takes no positional one; neither do we.
    if (key === undefined && named) refuse(`the filter ${name} takes no positional argument after a named one`);
    named ||= key !== undefined;
    const option = key === undefined ? args[place] : args.find((aliases) => aliases.includes(key));
    if (!option) refuse(`the filter ${name} does not take the argument ${key ?? `at place ${place + 1}`} here`);
    const arg = `${name}.${option[0]}`;
    const value = (eq < 0 ? p : p.slice(eq + 1)).trimStart();
    if (/^[.~/]/.test(value) || value.includes('..') || (value.includes('/') && !(EXPRESSION_ARGS.has(arg) && EXPRESSION.test(value))))
      refuse(`the filter ${name} may not name a file`);
    if (SIZE_ARGS.has(arg) && !withinPicture(value)) refuse(`the filter ${name} may make pictures up to ${MAX_PICTURE.side} pixels a side`);
    if (arg === 'tile.layout') {
      const grid = /^(\d+)x(\d+)$/.exec(value);
      if (!grid || Number(grid[1]) * Number(grid[2]) > MAX_TILES) refuse(`the filter tile takes a grid of at most ${MAX_TILES} cells`);
    }
    if ((arg === 'split.outputs' || arg === 'asplit.outputs') && !(/^\d{1,2}$/.test(value) && Number(value) <= MAX_SPLIT))
      refuse(`the filter ${name} makes at most ${MAX_SPLIT} copies`);
    if (RATE_ARGS.has(arg) && value.split('|').some((r) => !/^\d{1,6}$/.test(r) || Number(r) > MAX_SAMPLE_RATE))
      refuse(`the filter ${name} takes sample rates up to ${MAX_SAMPLE_RATE}`);
  });
}

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
      if (eq >= 0) checkFilterArgs(name, f.slice(eq + 1).replace(/(?:\[[^\]]*\])+$/, ''));
      return name;
    });
}

function checkGraph(graph: string): void {
  for (const name of filterNames(graph)) if (!FILTERS.has(name)) refuse(`the filter ${name} is not allowed`);
}

function refuse(why: string): never {
  throw new MediaError('UNSAFE_COMMAND', `Refused to run ffmpeg: ${why}.`);
}
