import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors.ts';
import { EXIT } from './exit-codes.ts';

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

/**
 * Writes `data` as JSON to `file` with mode 0600, atomically. The temporary file is created
 * anew (`wx`): a stale one left by a crash, perhaps wider than 0600, is removed rather than
 * written into, since writeFile's mode applies only to a file it creates.
 */
export async function writePrivateJson(file: string, data: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await rm(tmp, { force: true });
  await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  await rename(tmp, file);
}

export const loginFile = (dir: string) => join(dir, 'config.json');

/**
 * The stored login, or undefined when there is none. A file that is not JSON is refused
 * without JSON.parse's message: that quotes the text around the fault, the API key included.
 */
export async function readLogin(dir: string): Promise<Partial<Login> | undefined> {
  let text: string;
  try {
    text = await readFile(loginFile(dir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as Partial<Login>;
  } catch {
    throw new CliError('CONFIG_INVALID', 'The login file is not valid JSON: run kino login again.', EXIT.AUTH);
  }
}

export async function saveLogin(dir: string, login: Login): Promise<void> {
  await ensureConfigDir(dir);
  await writePrivateJson(loginFile(dir), login);
}

/** True when there was a login to remove (even one that no longer reads). */
export async function removeLogin(dir: string): Promise<boolean> {
  const had = await stat(loginFile(dir)).then(
    () => true,
    () => false,
  );
  await rm(loginFile(dir), { force: true });
  return had;
}
