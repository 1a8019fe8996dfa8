import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Kino } from './client.ts';
import { KinoError } from './errors.ts';
import type { Asset } from './types.ts';
import type { UploadOptions, UploadResumeStore } from './uploads.ts';

// Node-only helpers: a file uploaded by path, streamed from disk (never read whole), and a
// resume store kept in a JSON file, so an upload cut by a crash or Ctrl-C resumes next run.

const CONTENT_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  avi: 'video/x-msvideo',
  ts: 'video/mp2t',
  mpg: 'video/mpeg',
  mpeg: 'video/mpeg',
  m4a: 'audio/mp4',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
};

/** Reads of 1 MiB: fewer, larger writes into the socket than the default 64 KiB. */
const READ_BYTES = 1 << 20;

export type UploadFileOptions = Omit<UploadOptions, 'size'>;

/**
 * Uploads the file at `path`, streamed from disk, resumable: with `opts.resume` the upload
 * URL is remembered under a fingerprint of the path, size and modification time (or
 * `opts.fingerprint`), and a later call for the same unchanged file resumes where it stopped.
 */
export async function uploadFile(kino: Kino, path: string, opts: UploadFileOptions = {}): Promise<Asset> {
  const full = resolve(path);
  const { size, mtimeMs } = await stat(full);
  const name = full.split(/[\\/]/).pop()!;
  const extension = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  return kino.uploads.createFromSource(
    { size, open: (start) => createReadStream(full, { start, highWaterMark: READ_BYTES }) },
    {
      ...opts,
      filename: opts.filename ?? name,
      contentType: opts.contentType ?? CONTENT_TYPES[extension] ?? 'application/octet-stream',
      fingerprint: opts.fingerprint ?? `${full}:${size}:${Math.floor(mtimeMs)}`,
    },
  );
}

/**
 * A resume store in one JSON file (e.g. in the user's config dir), written atomically, private
 * to the user (directory 0700, file 0600: it holds upload URLs). A file that is not a JSON
 * object of strings is treated as empty (and replaced on the next write) rather than quoted in
 * an error.
 */
export function fileResumeStore(file: string): UploadResumeStore {
  const read = async (): Promise<Record<string, string>> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return {};
      // The code alone: Node's message would name the path.
      throw new KinoError({ code: 'RESUME_STORE_UNREADABLE', status: 0, message: `The upload resume store cannot be read (${code}).` });
    }
    try {
      const all: unknown = JSON.parse(text);
      if (typeof all !== 'object' || all === null || Array.isArray(all)) return {};
      return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return {};
    }
  };
  // Writes in call order, so two quick updates cannot land out of order.
  let queue: Promise<unknown> = Promise.resolve();
  const update = (change: (all: Record<string, string>) => void) =>
    (queue = queue.then(async () => {
      const all = await read();
      change(all);
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      // Created afresh ('wx'): a file or link left at the temporary name is never written through.
      await rm(tmp, { force: true });
      await writeFile(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(tmp, file);
    })) as Promise<void>;
  return {
    get: async (fingerprint) => (await read())[fingerprint],
    set: (fingerprint, url) =>
      update((all) => {
        all[fingerprint] = url;
      }),
    remove: (fingerprint) =>
      update((all) => {
        delete all[fingerprint];
      }),
  };
}

export { createKino, KinoError } from './index.ts';
