import { createRequire } from 'node:module';
import { createKino } from '@kino/sdk';
import { configDir, type Login, readLogin } from './config-store.ts';
import { notLoggedIn } from './errors.ts';

// What every command gets: where the config lives, the signal Ctrl-C aborts, and the
// client for the login in force — KINO_API_URL and KINO_API_KEY over the stored one.

/** Where `npm run up` serves the api. */
export const DEFAULT_API_URL = 'http://127.0.0.1:4000';

export type Kino = ReturnType<typeof createKino>;

export const VERSION: string = createRequire(import.meta.url)('../package.json').version;

export interface Context {
  configDir: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** The login in force and a client for it; throws NOT_LOGGED_IN (exit 3) without a key. */
  client(): Promise<{ kino: Kino; login: Login }>;
}

export async function currentLogin(env: NodeJS.ProcessEnv, dir: string): Promise<Login> {
  const stored = (await readLogin(dir)) ?? {};
  const api_key = env['KINO_API_KEY'] || stored.api_key;
  if (!api_key) throw notLoggedIn();
  return { api_url: trimUrl(env['KINO_API_URL'] || stored.api_url || DEFAULT_API_URL), api_key };
}

export const trimUrl = (url: string) => url.replace(/\/+$/, '');

export const kinoFor = (login: Login): Kino =>
  createKino({ baseUrl: login.api_url, apiKey: login.api_key, userAgent: `kino-cli/${VERSION}` });

export function createContext(env: NodeJS.ProcessEnv, signal: AbortSignal): Context {
  const dir = configDir(env);
  return {
    configDir: dir,
    env,
    signal,
    async client() {
      const login = await currentLogin(env, dir);
      return { kino: kinoFor(login), login };
    },
  };
}
