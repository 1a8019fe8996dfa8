// A user's own ffmpeg command (the jobs API's command mode, in RenderIO's shape):
// `-i {{in_video}} -vf scale=640:-2 {{out_small}}`. It is split into arguments here (no
// shell ever sees it), every argument is checked against an allowlist, and only then are
// the placeholders replaced by confined inputs (mediaInput) and our own output paths. What
// the allowlist refuses is named by the token, so a caller can fix its command.
import { JOB_OUTPUT_NAME } from '@kino/artifacts';
import { filterNames, isAllowedFilter, MAX_SAMPLE_RATE, mediaInput, withinPicture } from './confine.ts';
import { MediaError } from './errors.ts';

/** A refused command: `token` is the argument at fault, as the caller wrote it. */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly token: string,
    why: string,
  ) {
    super(`The command was refused at "${token}": ${why}.`);
  }
}

export interface CommandSpec {
  /** The arguments, with `{{in_name}}` after each `-i` and `{{out_name}}` for each output. */
  args: string;
  /** Placeholder names of the inputs (`in_…`). */
  inputs: readonly string[];
  /** Placeholder name (`out_…`) → the output's file name (its extension picks the muxer). */
  outputs: Readonly<Record<string, string>>;
}

export interface CommandLimits {
  maxOutputs: number;
  /** Each output's bytes (ffmpeg's `-fs`; the worker checks the files too). */
  maxOutputBytes: number;
  /** Each output's duration: `-t` is added unless the command bounds it itself. */
  maxSeconds: number;
}

/** An output's place in the command: its option group ends at its placeholder. */
export interface CheckedCommand {
  tokens: string[];
  /** Input placeholder names in `-i` order (their index is ffmpeg's input index). */
  inputs: string[];
  outputs: string[];
}

export const MAX_COMMAND_LENGTH = 8192;
/** Outputs one job may write. */
export const MAX_JOB_OUTPUTS = 5;
const PLACEHOLDER = /^\{\{((?:in|out)_[A-Za-z0-9_]{1,32})\}\}$/;
export const INPUT_NAME = /^in_[A-Za-z0-9_]{1,32}$/;
export const OUTPUT_NAME = /^out_[A-Za-z0-9_]{1,32}$/;

/** Splits like a shell would for words and quotes, and does nothing else a shell does. */
export function tokenize(args: string): string[] {
  if (args.length > MAX_COMMAND_LENGTH)
    throw new CommandError(args.slice(0, 32), `the command is longer than ${MAX_COMMAND_LENGTH} characters`);
  const tokens: string[] = [];
  let current: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!;
    const code = c.charCodeAt(0);
    if ((code < 32 && c !== '\t' && c !== '\n') || code === 127)
      throw new CommandError(JSON.stringify(c), 'control characters are not allowed');
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && (args[i + 1] === '"' || args[i + 1] === '\\')) current += args[++i]!;
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current ??= '';
    } else if (/\s/.test(c)) {
      if (current !== undefined) tokens.push(current);
      current = undefined;
    } else if (c === '\\') {
      current = (current ?? '') + (args[++i] ?? '');
    } else current = (current ?? '') + c;
  }
  if (quote) throw new CommandError(quote, 'a quote is not closed');
  if (current !== undefined) tokens.push(current);
  return tokens;
}

const NUMBER = /^\d{1,9}(?:\.\d{1,6})?$/;
const INT = /^\d{1,9}$/;
const BITRATE = /^\d{1,7}(?:\.\d{1,3})?[kKmM]?$/;
const oneOf =
  (...values: string[]) =>
  (v: string) =>
    values.includes(v);
const matches = (re: RegExp) => (v: string) => re.test(v);

/** Seconds in ffmpeg's time syntax (`12.5`, `00:01:02.5`), or NaN. */
export function parseTime(v: string): number {
  if (NUMBER.test(v)) return Number(v);
  const m = /^(?:(\d{1,2}):)?(\d{1,2}):(\d{1,2}(?:\.\d{1,6})?)$/.exec(v);
  return m ? Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) : Number.NaN;
}
const isTime = (v: string) => Number.isFinite(parseTime(v));

/** Encoders a command may name (`copy` is not one: capabilities list the rest). */
export const ENCODERS = [
  'libx264',
  'libx265',
  'libsvtav1',
  'libvpx-vp9',
  'libvpx',
  'h264',
  'hevc',
  'vp9',
  'aac',
  'libopus',
  'opus',
  'libmp3lame',
  'mp3',
  'libvorbis',
  'flac',
  'pcm_s16le',
  'mjpeg',
  'png',
  'libwebp',
  'gif',
  'copy',
];
/** Muxers an output may name with `-f`: each writes the one file it is given. */
export const MUXERS = ['mp4', 'mov', 'ipod', 'matroska', 'webm', 'mp3', 'wav', 'flac', 'ogg', 'opus', 'gif', 'webp'];
const PIX_FMTS = ['yuv420p', 'yuv422p', 'yuv444p', 'yuv420p10le', 'yuvj420p', 'nv12', 'rgb24', 'rgba', 'gray', 'pal8'];
const X26X_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'];

type Where = 'input' | 'output' | 'both';
interface OptionRule {
  where: Where;
  /** Absent for a flag; else the test its value must pass. */
  value?: (v: string) => boolean;
  graph?: true;
}
const flag = (where: Where = 'output'): OptionRule => ({ where });
const valued = (value: (v: string) => boolean, where: Where = 'output'): OptionRule => ({ where, value });

/**
 * Every option a command may use, by name (a stream specifier such as `:v` or `:a:0` may
 * follow it). What is not here is refused: protocols, devices, `-f` demuxers (inputs are
 * named by us), `*_script`, attachments, pass logs, codec private options that name files.
 */
const OPTIONS = new Map<string, OptionRule>(
  Object.entries({
    ss: valued(isTime, 'both'),
    t: valued(isTime, 'both'),
    to: valued(isTime, 'both'),
    sseof: valued((v) => /^-\d{1,9}(?:\.\d{1,6})?$/.test(v), 'input'),
    c: valued(oneOf(...ENCODERS)),
    codec: valued(oneOf(...ENCODERS)),
    vcodec: valued(oneOf(...ENCODERS)),
    acodec: valued(oneOf(...ENCODERS)),
    b: valued(matches(BITRATE)),
    maxrate: valued(matches(BITRATE)),
    minrate: valued(matches(BITRATE)),
    bufsize: valued(matches(BITRATE)),
    crf: valued(matches(/^\d{1,2}(?:\.\d)?$/)),
    qp: valued(matches(/^\d{1,2}$/)),
    q: valued(matches(/^\d{1,2}(?:\.\d)?$/)),
    qscale: valued(matches(/^\d{1,2}(?:\.\d)?$/)),
    preset: valued((v) => X26X_PRESETS.includes(v) || /^\d{1,2}$/.test(v)),
    tune: valued(oneOf('film', 'animation', 'grain', 'stillimage', 'fastdecode', 'zerolatency', 'psnr', 'ssim')),
    profile: valued(oneOf('baseline', 'main', 'high', 'high10', 'main10', 'high422', 'high444')),
    level: valued(matches(/^\d(?:\.\d)?$/)),
    g: valued(matches(INT)),
    keyint_min: valued(matches(INT)),
    bf: valued(matches(/^\d{1,2}$/)),
    sc_threshold: valued(matches(INT)),
    vf: { where: 'output', value: () => true, graph: true },
    af: { where: 'output', value: () => true, graph: true },
    filter: { where: 'output', value: () => true, graph: true },
    filter_complex: { where: 'output', value: () => true, graph: true },
    map: valued(matches(/^-?(?:\d{1,2}(?::[vas](?::\d{1,2})?)?\??|\[[A-Za-z0-9_]{1,32}\])$/)),
    map_metadata: valued(oneOf('-1', '0')),
    map_chapters: valued(oneOf('-1', '0')),
    r: valued(matches(/^\d{1,3}(?:\.\d{1,3})?(?:\/\d{1,5})?$/), 'both'),
    s: valued((v) => /^\d{1,5}x\d{1,5}$/.test(v) && withinPicture(v)),
    aspect: valued(matches(/^\d{1,5}(?:[:/]\d{1,5}|\.\d{1,5})?$/)),
    pix_fmt: valued(oneOf(...PIX_FMTS)),
    ar: valued((v) => INT.test(v) && Number(v) <= MAX_SAMPLE_RATE),
    ac: valued(matches(/^\d$/)),
    sample_fmt: valued(oneOf('s16', 's32', 'fltp', 's16p', 'flt')),
    frames: valued(matches(INT)),
    vframes: valued(matches(INT)),
    aframes: valued(matches(INT)),
    an: flag(),
    vn: flag(),
    sn: flag(),
    dn: flag(),
    shortest: flag(),
    movflags: valued(oneOf('faststart', '+faststart')),
    f: valued(oneOf(...MUXERS)),
    tag: valued(matches(/^[a-z0-9]{4}$/)),
    fps_mode: valued(oneOf('passthrough', 'cfr', 'vfr', 'auto')),
    vsync: valued(oneOf('passthrough', 'cfr', 'vfr', 'auto', '0', '1', '2')),
    strict: valued(oneOf('experimental', '-2')),
    loop: valued(oneOf('0', '1'), 'input'),
    threads: valued((v) => /^\d{1,2}$/.test(v) && Number(v) <= MAX_THREADS),
    deadline: valued(oneOf('realtime', 'good', 'best')),
    'cpu-used': valued(matches(/^-?\d$/)),
    update: valued(oneOf('0', '1')),
  }),
);
/** The rule of an option token (`-c:v` → c's); a Map, so `-constructor` or `-__proto__` finds nothing. */
const ruleOf = (t: string) => OPTIONS.get(optionName(t));

/** A command's -threads at most: more threads than this are only more memory. */
const MAX_THREADS = 16;

/** A value that names a protocol or a path: refused wherever it appears. */
const PROTOCOL_OR_PATH = /(?:^|[=:,;[\]])\s*(?:[a-z][a-z0-9+.-]*:\/\/|file:|\/|~|\.\.)/i;

/**
 * Checks a command against the allowlist and returns its arguments; throws CommandError
 * naming the first token refused. Every input must come as `-i {{in_…}}` (declared, once),
 * every output as `{{out_…}}` (declared, once, a file name with an allowed extension), at
 * most `maxOutputs` of them, and options only from the list with values that pass its test.
 */
export function checkCommand(spec: CommandSpec, limits: CommandLimits): CheckedCommand {
  const tokens = tokenize(spec.args);
  if (tokens.length === 0) throw new CommandError('', 'the command is empty');
  const declaredOutputs = Object.keys(spec.outputs);
  if (declaredOutputs.length > limits.maxOutputs)
    throw new CommandError(declaredOutputs[limits.maxOutputs]!, `a command may write at most ${limits.maxOutputs} outputs`);
  for (const [name, file] of Object.entries(spec.outputs)) {
    if (!OUTPUT_NAME.test(name)) throw new CommandError(name, 'output names are out_ and up to 32 letters, digits or _');
    if (!JOB_OUTPUT_NAME.test(file)) throw new CommandError(file, 'an output file is a plain name with an allowed extension');
  }
  for (const name of spec.inputs)
    if (!INPUT_NAME.test(name)) throw new CommandError(name, 'input names are in_ and up to 32 letters, digits or _');

  const inputs: string[] = [];
  const outputs: string[] = [];
  let group: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.includes('{{') || t.includes('}}')) {
      const name = PLACEHOLDER.exec(t)?.[1];
      if (!name) throw new CommandError(t, 'a placeholder is {{in_name}} or {{out_name}}, alone as an argument');
      if (name.startsWith('in_')) throw new CommandError(t, 'an input placeholder must follow -i');
      if (!(name in spec.outputs)) throw new CommandError(t, 'no output of that name is declared in output_files');
      if (outputs.includes(name)) throw new CommandError(t, 'each output is written once');
      checkOutputGroup(group, limits);
      outputs.push(name);
      group = [];
      continue;
    }
    if (t === '-i') {
      const next = tokens[i + 1] ?? '';
      const name = PLACEHOLDER.exec(next)?.[1];
      if (!name?.startsWith('in_')) throw new CommandError(next || t, 'every input is an {{in_name}} placeholder of input_files');
      if (!spec.inputs.includes(name)) throw new CommandError(next, 'no input of that name is declared in input_files');
      for (const { option } of optionsOf(group))
        if (ruleOf(option)!.where === 'output') throw new CommandError(option, 'this option applies to outputs, not inputs');
      inputs.push(name);
      group = [];
      i++;
      continue;
    }
    if (!t.startsWith('-') || t === '-')
      throw new CommandError(t, 'a bare argument (a path, a URL?) is not allowed: inputs and outputs are placeholders');
    const rule = ruleOf(t);
    if (!rule) throw new CommandError(t, 'this option is not allowed');
    if (t.includes(':') && !/^-[a-z_]+(?::[vas](?::\d{1,2})?|:\d{1,2})$/.test(t)) throw new CommandError(t, 'a malformed stream specifier');
    group.push(t);
    if (!rule.value) continue;
    const v = tokens[i + 1];
    if (v === undefined) throw new CommandError(t, 'the option needs a value');
    if (PROTOCOL_OR_PATH.test(v)) throw new CommandError(v, 'protocols and paths are not allowed');
    if (rule.graph) checkGraph(v);
    else if (!rule.value(v)) throw new CommandError(v, `not a value ${t} may take here`);
    group.push(v);
    i++;
  }
  if (group.length > 0) throw new CommandError(group[0]!, 'options after the last output apply to nothing');
  if (outputs.length === 0) throw new CommandError(tokens.at(-1)!, 'the command writes no {{out_name}} output');
  for (const name of declaredOutputs)
    if (!outputs.includes(name)) throw new CommandError(name, 'a declared output is not written by the command');
  for (const name of spec.inputs) if (!inputs.includes(name)) throw new CommandError(name, 'a declared input is not read by the command');
  return { tokens, inputs, outputs };
}

const optionName = (t: string) => t.slice(1).split(':')[0]!;

/** A checked group's options with their values: a value such as `-5` (-sseof's) is never read as an option. */
function optionsOf(group: readonly string[]): Array<{ option: string; value?: string }> {
  const pairs: Array<{ option: string; value?: string }> = [];
  for (let k = 0; k < group.length; k++) {
    const option = group[k]!;
    pairs.push(ruleOf(option)!.value ? { option, value: group[++k]! } : { option });
  }
  return pairs;
}

function checkGraph(graph: string): void {
  let names: string[];
  try {
    names = filterNames(graph);
  } catch (err) {
    throw new CommandError(
      graph,
      err instanceof MediaError ? err.message.replace(/^Refused to run ffmpeg: |\.$/g, '') : 'not a filter graph',
    );
  }
  for (const name of names) if (!isAllowedFilter(name)) throw new CommandError(name, 'this filter is not allowed');
}

/** -t and -to of one output are bounded: the output's duration cap holds whatever it says. */
function checkOutputGroup(group: string[], limits: CommandLimits): void {
  const options = optionsOf(group);
  const value = (name: string) => options.findLast((o) => optionName(o.option) === name)?.value;
  const t = value('t');
  if (t !== undefined && parseTime(t) > limits.maxSeconds) throw new CommandError(t, `an output may last at most ${limits.maxSeconds} s`);
  const to = value('to');
  if (to !== undefined && parseTime(to) - parseTime(value('ss') ?? '0') > limits.maxSeconds)
    throw new CommandError(to, `an output may last at most ${limits.maxSeconds} s`);
}

export interface CommandFiles {
  /** Per input placeholder: the local file (or presigned URL) and its probed format. */
  inputs: Readonly<Record<string, { src: string; formatName?: string | undefined; images?: boolean }>>;
  /** Per output placeholder: the path to write. */
  outputs: Readonly<Record<string, string>>;
}

/**
 * The argv of a checked command: each `-i {{in_…}}` becomes a confined input, each output
 * gets `-fs` (its size bound) and, unless it bounds its own duration, `-t`; placeholders
 * become our paths. runFfmpeg's assertConfined then checks the result once more.
 */
export function commandArgv(checked: CheckedCommand, files: CommandFiles, limits: CommandLimits): string[] {
  const argv: string[] = [];
  let group: string[] = [];
  const { tokens } = checked;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '-i') {
      const input = files.inputs[PLACEHOLDER.exec(tokens[++i]!)![1]!]!;
      argv.push(...group, ...mediaInput(input.src, input.formatName, { images: input.images ?? false }));
      group = [];
      continue;
    }
    const out = PLACEHOLDER.exec(t)?.[1];
    if (out) {
      const bounded = group.some((g) => g === '-t' || g === '-to');
      argv.push(
        '-fs',
        String(limits.maxOutputBytes),
        ...(bounded ? [] : ['-t', String(limits.maxSeconds)]),
        ...group,
        `file:${files.outputs[out]!}`,
      );
      group = [];
      continue;
    }
    group.push(t);
  }
  return argv;
}
