import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface PlayerBundle {
  /** The minified ES module: <kino-player>, mount() and hls.js (full build: alternate audio renditions). */
  js: Buffer;
  gzip: Buffer;
  /** Content hash, for versioned URLs and the ETag. */
  hash: string;
}

// esbuild paths are relative to the package, so the cache stays valid wherever it is checked out.
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = 'src/browser/index.ts';
// Ignored by git (dist/); `prepare` fills it on install, so an api never runs esbuild to start.
const CACHE_JS = join(PACKAGE_DIR, 'dist/kino-player.js');
// Every file the bundle was built from (browser sources, hls.js, the recipe) with its SHA-256.
const CACHE_INPUTS = join(PACKAGE_DIR, 'dist/kino-player.inputs.json');

/**
 * What else decides the bytes besides the sources esbuild reads: the build options (in this
 * file), the tsconfig esbuild honours, and esbuild itself. A change to any of them rebuilds.
 */
const RECIPE = [
  relative(PACKAGE_DIR, fileURLToPath(import.meta.url)),
  'tsconfig.json',
  '../../tsconfig.base.json',
  relative(PACKAGE_DIR, createRequire(import.meta.url).resolve('esbuild/package.json')),
];

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64url');
}

function bundleOf(js: Buffer): PlayerBundle {
  return { js, gzip: gzipSync(js, { level: 9 }), hash: sha256(js).slice(0, 16) };
}

/** Bundles the browser player in memory with esbuild, and lists the files it read. */
interface Built {
  bundle: PlayerBundle;
  /** The files esbuild read, relative to the package. */
  inputs: string[];
}

async function build(): Promise<Built> {
  // Loaded only here: serving a prepared bundle needs no esbuild.
  const { build: esbuild } = await import('esbuild');
  const out = await esbuild({
    absWorkingDir: PACKAGE_DIR,
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Browsers with MSE or native HLS and custom elements all run ES2020.
    target: 'es2020',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { bundle: bundleOf(Buffer.from(out.outputFiles[0]!.contents)), inputs: [...RECIPE, ...Object.keys(out.metafile.inputs)] };
}

/** Builds the bundle afresh, without the cache (benchmarks measure exactly this). */
export async function buildPlayerBundle(): Promise<PlayerBundle> {
  return (await build()).bundle;
}

async function hashInputs(inputs: string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(inputs.map(async (f) => [f, sha256(await readFile(join(PACKAGE_DIR, f)))] as const));
  return Object.fromEntries(entries);
}

/** The cached bundle, if every file it was built from is unchanged; otherwise null. */
async function readCached(): Promise<PlayerBundle | null> {
  try {
    const recorded = JSON.parse(await readFile(CACHE_INPUTS, 'utf8')) as Record<string, string>;
    const now = await hashInputs(Object.keys(recorded));
    if (Object.entries(recorded).some(([f, h]) => now[f] !== h)) return null;
    return bundleOf(await readFile(CACHE_JS));
  } catch {
    return null; // no cache yet, or an input is gone: build
  }
}

/**
 * Stores a build with the hashes of its inputs. Renames make each file appear whole, and
 * the inputs go last: a reader that sees new inputs sees the new bundle too.
 */
async function store({ bundle, inputs }: Built): Promise<void> {
  const hashes = await hashInputs(inputs);
  await mkdir(dirname(CACHE_JS), { recursive: true });
  for (const [file, data] of [
    [CACHE_JS, bundle.js],
    [CACHE_INPUTS, JSON.stringify(hashes, null, 1)],
  ] as const) {
    await writeFile(`${file}.${process.pid}.tmp`, data);
    await rename(`${file}.${process.pid}.tmp`, file);
  }
}

/** The install's `prepare` step: builds the bundle into the cache. */
export async function preparePlayerBundle(): Promise<void> {
  await store(await build());
}

let shared: Promise<PlayerBundle> | undefined;

/**
 * The bundle of this process: the prepared one when none of its inputs changed, else
 * built on first use and cached for the next process. Every api in the process serves the
 * same bytes.
 */
export function playerBundle(): Promise<PlayerBundle> {
  return (shared ??= readCached().then(async (cached) => {
    if (cached) return cached;
    const built = await build();
    // A read-only checkout still serves; it builds again at its next start.
    await store(built).catch(() => {});
    return built.bundle;
  }));
}
