import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface PlayerBundle {
  /** The minified ES module: <kino-player>, mount() and hls.js (light build). */
  js: Buffer;
  gzip: Buffer;
  /** Content hash, for versioned URLs and the ETag. */
  hash: string;
}

const ENTRY = fileURLToPath(new URL('./browser/index.ts', import.meta.url));

/** Bundles the browser player into one module, in memory, in a fraction of a second. */
export async function buildPlayerBundle(): Promise<PlayerBundle> {
  const out = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Browsers with MSE or native HLS and custom elements all run ES2020.
    target: 'es2020',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const js = Buffer.from(out.outputFiles[0]!.contents);
  return { js, gzip: gzipSync(js, { level: 9 }), hash: createHash('sha256').update(js).digest('base64url').slice(0, 16) };
}

let shared: Promise<PlayerBundle> | undefined;

/** The bundle of this process, built on first use: every api in the process serves the same bytes. */
export function playerBundle(): Promise<PlayerBundle> {
  return (shared ??= buildPlayerBundle());
}
