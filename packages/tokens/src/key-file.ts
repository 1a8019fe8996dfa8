import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SigningKeysError, generateSigningKey, parseSigningKeys, type SigningKeys } from './signing-keys.ts';

/**
 * For `npm run up` without PLAYBACK_SIGNING_KEYS: keys survive restarts (tokens already
 * handed out keep working) without anyone having to generate one by hand.
 */
export async function loadOrCreateSigningKeys(file: string): Promise<SigningKeys> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    text = await createKeyFile(file);
  }
  try {
    return await parseSigningKeys(text);
  } catch (err) {
    if (err instanceof SigningKeysError) throw new SigningKeysError(`${file}: ${err.message}`);
    throw err;
  }
}

async function createKeyFile(file: string): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  const text = `${JSON.stringify([await generateSigningKey()], null, 2)}\n`;
  // Written whole under a temporary name, then hard-linked into place: link refuses to
  // overwrite, so two processes starting together settle on one key and neither ever
  // reads a half-written file.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, file);
    return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return await readFile(file, 'utf8');
  } finally {
    await rm(tmp, { force: true });
  }
}
