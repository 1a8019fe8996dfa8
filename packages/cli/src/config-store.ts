import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

// The login lives in the user's config directory, readable by the user alone: the file
// holds an API key. Writes go through a temporary file and a rename, so a crash never
// leaves half a file, and the file is created 0600 rather than narrowed after the fact.

export interface Login {
  api_url: string;
  api_key: string;
}

/** $XDG_CONFIG_HOME/kino, else ~/.config/kino. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'kino');
}

/** Creates the directory 0700, and narrows it to 0700 if it existed wider. */
export async function ensureConfigDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/** Writes `data` as JSON to `file` with mode 0600, atomically. */
export async function writePrivateJson(file: string, data: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** The parsed JSON of `file`, or undefined when there is none. */
export async function readJson<T>(file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return JSON.parse(text) as T;
}

export const loginFile = (dir: string) => join(dir, 'config.json');

export async function readLogin(dir: string): Promise<Partial<Login> | undefined> {
  return readJson<Partial<Login>>(loginFile(dir));
}

export async function saveLogin(dir: string, login: Login): Promise<void> {
  await ensureConfigDir(dir);
  await writePrivateJson(loginFile(dir), login);
}

/** True when there was a login to remove. */
export async function removeLogin(dir: string): Promise<boolean> {
  const had = (await readLogin(dir)) !== undefined;
  await rm(loginFile(dir), { force: true });
  return had;
}
