import { join } from 'node:path';
import type { UploadResumeStore } from '@kino/sdk';
import { fileResumeStore } from '@kino/sdk/node';

// Where a cut upload is picked up again: the SDK's file store of tus upload URLs, beside the
// login (0600, in the 0700 config dir), keyed by the server as well as by the SDK's
// fingerprint of the file (path, size, mtime) — another server's upload is another upload.

export function createResumeStore(dir: string, apiUrl: string): UploadResumeStore {
  const store = fileResumeStore(join(dir, 'uploads.json'));
  const key = (fingerprint: string) => `${apiUrl} ${fingerprint}`;
  return {
    get: (fingerprint) => store.get(key(fingerprint)),
    set: (fingerprint, url) => store.set(key(fingerprint), url),
    remove: (fingerprint) => store.remove(key(fingerprint)),
  };
}
