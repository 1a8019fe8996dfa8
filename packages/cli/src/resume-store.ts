import { join } from 'node:path';
import { ensureConfigDir, readJson, writePrivateJson } from './config-store.ts';

// Where a cut upload can be picked up again: the tus upload URL of each unfinished upload,
// keyed by the server and the SDK's fingerprint of the file (path, size, mtime), in a 0600
// file beside the login. The SDK removes an entry once its upload is done or gone.

type Entries = Record<string, { url: string; saved_at: string }>;

export interface ResumeStore {
  get(fingerprint: string): Promise<string | undefined>;
  set(fingerprint: string, url: string): Promise<void>;
  remove(fingerprint: string): Promise<void>;
}

export function createResumeStore(dir: string, apiUrl: string): ResumeStore {
  const file = join(dir, 'uploads.json');
  // Another server's upload of the same file is another upload.
  const keyOf = (fingerprint: string) => `${apiUrl} ${fingerprint}`;
  const load = async () => (await readJson<Entries>(file)) ?? {};
  const save = async (entries: Entries) => {
    await ensureConfigDir(dir);
    await writePrivateJson(file, entries);
  };
  return {
    async get(fingerprint) {
      return (await load())[keyOf(fingerprint)]?.url;
    },
    async set(fingerprint, url) {
      const entries = await load();
      entries[keyOf(fingerprint)] = { url, saved_at: new Date().toISOString() };
      await save(entries);
    },
    async remove(fingerprint) {
      const entries = await load();
      if (!(keyOf(fingerprint) in entries)) return;
      delete entries[keyOf(fingerprint)];
      await save(entries);
    },
  };
}
