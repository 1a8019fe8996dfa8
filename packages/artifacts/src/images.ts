// Images made on demand: a still (`thumbnail.{jpg,webp,png}?time=&width=&height=&fit=`) or
// an animation (`animated.{gif,webp}?start=&end=&fps=&width=`) of an asset. A request names
// a variant by its query; the variant has ONE canonical artifact path under `images/`, so
// every spelling of the same picture (parameter order, defaults spelled out or left out,
// `1.50` or `1.5`) shares one origin object and one edge cache entry. The query is judged
// raw, like the path: nothing is percent-decoded, and an unknown, repeated or malformed
// parameter is refused before anything else happens.

export const IMAGE_LIMITS = {
  /** Largest width or height of a still, and width of an animation, in pixels. */
  maxDimension: 1920,
  /** Longest animation. */
  maxAnimatedMs: 10_000,
  maxFps: 30,
  /** Latest time a URL may name at all (the asset's own duration is checked by the api). */
  maxTimeMs: 24 * 3600 * 1000,
  animatedDefaults: { durationMs: 5000, fps: 15, width: 320 },
} as const;

export const STILL_FORMATS = ['jpg', 'webp', 'png'] as const;
export const ANIMATED_FORMATS = ['gif', 'webp'] as const;
/**
 * How a still fills a box of both width and height: `preserve` fits inside it keeping the
 * aspect ratio (the picture may be smaller than the box), `crop` fills it and cuts the
 * overflow (centred), `pad` fits inside it and fills the rest with black bars.
 */
export const IMAGE_FITS = ['preserve', 'crop', 'pad'] as const;

export type StillFormat = (typeof STILL_FORMATS)[number];
export type AnimatedFormat = (typeof ANIMATED_FORMATS)[number];
export type ImageFit = (typeof IMAGE_FITS)[number];

export interface StillImage {
  type: 'still';
  format: StillFormat;
  timeMs: number;
  /** 0: follows from the other dimension and the aspect ratio (both 0: the source's size, within the limit). */
  width: number;
  height: number;
  /** Always `preserve` unless both width and height are set. */
  fit: ImageFit;
}

export interface AnimatedImage {
  type: 'animated';
  format: AnimatedFormat;
  startMs: number;
  endMs: number;
  fps: number;
  width: number;
}

export type ImageVariant = StillImage | AnimatedImage;

const IMAGES_DIR = 'images';
export const IMAGES_PREFIX = `${IMAGES_DIR}/`;
/** The request names, as a viewer spells them (the canonical paths are not requested directly). */
export const STILL_REQUEST = 'thumbnail';
export const ANIMATED_REQUEST = 'animated';

/** The canonical artifact path of a variant. */
export function imagePath(v: ImageVariant): string {
  if (v.type === 'still') return `${IMAGES_PREFIX}t${v.timeMs}-w${v.width}-h${v.height}-${v.fit}.${v.format}`;
  return `${IMAGES_PREFIX}a${v.startMs}-${v.endMs}-f${v.fps}-w${v.width}.${v.format}`;
}

const NUM = '(0|[1-9][0-9]{0,7})';
/** Sources of the canonical path patterns, for the artifact grammar. */
export const IMAGE_PATH_PATTERN =
  `${IMAGES_DIR}/(?:t${NUM}-w${NUM}-h${NUM}-(${IMAGE_FITS.join('|')})\\.(${STILL_FORMATS.join('|')})` +
  `|a${NUM}-${NUM}-f${NUM}-w${NUM}\\.(${ANIMATED_FORMATS.join('|')}))`;
/** The request file names: `thumbnail.webp`, `animated.gif`, … (`thumbnail.jpg` is an artifact path already). */
export const IMAGE_REQUEST_PATTERN = `${STILL_REQUEST}\\.(?:webp|png)|${ANIMATED_REQUEST}\\.(?:gif|webp)`;
const IMAGE_PATH = new RegExp(`^${IMAGE_PATH_PATTERN}$`);

/**
 * The variant a canonical path names, within the limits; undefined for anything else (a
 * path that only looks canonical: out of bounds, not in its canonical form).
 */
export function parseImagePath(path: string): ImageVariant | undefined {
  const m = IMAGE_PATH.exec(path);
  if (!m) return undefined;
  let v: ImageVariant;
  if (m[1] !== undefined) {
    v = { type: 'still', timeMs: +m[1], width: +m[2]!, height: +m[3]!, fit: m[4] as ImageFit, format: m[5] as StillFormat };
  } else {
    v = { type: 'animated', startMs: +m[6]!, endMs: +m[7]!, fps: +m[8]!, width: +m[9]!, format: m[10] as AnimatedFormat };
  }
  return checkVariant(v) === undefined && imagePath(v) === path ? v : undefined;
}

/** Why a variant is out of bounds, or undefined when it is within them. */
function checkVariant(v: ImageVariant): string | undefined {
  const L = IMAGE_LIMITS;
  const dim = (n: number) => n === 0 || (n % 2 === 0 && n <= L.maxDimension);
  if (v.type === 'still') {
    if (v.timeMs > L.maxTimeMs) return '`time` is too late.';
    if (!dim(v.width) || !dim(v.height)) return `\`width\` and \`height\` are at most ${L.maxDimension}.`;
    if ((v.width === 0 || v.height === 0) && v.fit !== 'preserve') return '`fit` needs both `width` and `height`.';
    return undefined;
  }
  if (v.endMs > L.maxTimeMs) return '`end` is too late.';
  if (v.endMs <= v.startMs) return '`end` must be after `start`.';
  if (v.endMs - v.startMs > L.maxAnimatedMs) return `An animation lasts at most ${L.maxAnimatedMs / 1000} s.`;
  if (v.fps < 1 || v.fps > L.maxFps) return `\`fps\` is 1 to ${L.maxFps}.`;
  if (v.width === 0 || !dim(v.width)) return `\`width\` is at most ${L.maxDimension}.`;
  return undefined;
}

const SECONDS = /^(0|[1-9][0-9]{0,5})(?:\.([0-9]{1,3}))?$/;
const PIXELS = /^[1-9][0-9]{0,3}$/;
const STILL_PARAMS = new Set(['time', 'width', 'height', 'fit']);
const ANIMATED_PARAMS = new Set(['start', 'end', 'fps', 'width']);

/**
 * Whether a query names any parameter of a still: `thumbnail.jpg` with a query that names
 * none (a cache-buster such as `?v=2`) is the ladder's thumbnail, whose cache key ignores it.
 */
export function namesStillParams(query: string): boolean {
  return query.split('&').some((pair) => STILL_PARAMS.has(pair.split('=', 1)[0]!));
}

export type ImageRequest = { ok: true; path: string } | { ok: false; message: string };

/**
 * The canonical path a request for `file` (`thumbnail.webp`, `animated.gif`, or
 * `thumbnail.jpg` with a query) with the raw `query` names, or why it names none. Widths and
 * heights are rounded to even numbers (what video encoders and most players need), times
 * to the millisecond.
 */
export function imageRequest(file: string, query: string): ImageRequest {
  const dot = file.indexOf('.');
  const name = file.slice(0, dot);
  const ext = file.slice(dot + 1);
  const still = name === STILL_REQUEST;
  const allowed = still ? STILL_PARAMS : ANIMATED_PARAMS;
  const params = new Map<string, string>();
  for (const pair of query === '' ? [] : query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    if (!allowed.has(key))
      return refuse(`Unknown parameter ${JSON.stringify(key.slice(0, 32))}: ${file} takes ${[...allowed].join(', ')}.`);
    if (params.has(key)) return refuse(`\`${key}\` is given twice.`);
    if (eq === -1) return refuse(`\`${key}\` has no value.`);
    params.set(key, pair.slice(eq + 1));
  }
  const seconds = (key: string, fallback: number): number | string => {
    const raw = params.get(key);
    if (raw === undefined) return fallback;
    const m = SECONDS.exec(raw);
    if (!m) return `\`${key}\` is a time in seconds, such as 12 or 12.5.`;
    return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  };
  const pixels = (key: string, fallback: number): number | string => {
    const raw = params.get(key);
    if (raw === undefined) return fallback;
    if (!PIXELS.test(raw) || Number(raw) > IMAGE_LIMITS.maxDimension)
      return `\`${key}\` is a number of pixels, 1 to ${IMAGE_LIMITS.maxDimension}.`;
    // Even, rounding half up, and never past the limit (which is even).
    return Math.max(2, Math.round(Number(raw) / 2) * 2);
  };

  let v: ImageVariant;
  if (still) {
    const timeMs = seconds('time', 0);
    const width = pixels('width', 0);
    const height = pixels('height', 0);
    const fit = params.get('fit') ?? 'preserve';
    for (const x of [timeMs, width, height]) if (typeof x === 'string') return refuse(x);
    if (!(IMAGE_FITS as readonly string[]).includes(fit)) return refuse(`\`fit\` is one of ${IMAGE_FITS.join(', ')}.`);
    v = {
      type: 'still',
      format: ext as StillFormat,
      timeMs: timeMs as number,
      width: width as number,
      height: height as number,
      // With one side free the picture keeps its aspect ratio, whatever `fit` says.
      fit: width === 0 || height === 0 ? 'preserve' : (fit as ImageFit),
    };
  } else {
    const startMs = seconds('start', 0);
    if (typeof startMs === 'string') return refuse(startMs);
    const endMs = seconds('end', startMs + IMAGE_LIMITS.animatedDefaults.durationMs);
    const width = pixels('width', IMAGE_LIMITS.animatedDefaults.width);
    const fpsRaw = params.get('fps');
    if (fpsRaw !== undefined && !/^[1-9][0-9]?$/.test(fpsRaw)) return refuse(`\`fps\` is 1 to ${IMAGE_LIMITS.maxFps}.`);
    for (const x of [endMs, width]) if (typeof x === 'string') return refuse(x);
    const fps = fpsRaw === undefined ? IMAGE_LIMITS.animatedDefaults.fps : Number(fpsRaw);
    v = { type: 'animated', format: ext as AnimatedFormat, startMs, endMs: endMs as number, fps, width: width as number };
  }
  const why = checkVariant(v);
  return why === undefined ? { ok: true, path: imagePath(v) } : refuse(why);
}

const refuse = (message: string): ImageRequest => ({ ok: false, message });
