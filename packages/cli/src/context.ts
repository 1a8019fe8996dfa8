import { createRequire } from 'node:module';
import { createKino, type Kino } from '@kino/sdk';
import { configDir, type Login, readLogin } from './config-store.ts';
import { CliError, notLoggedIn } from './errors.ts';
import { EXIT } from './exit-codes.ts';

// What every command gets: where the config lives, the signal Ctrl-C aborts, and the
// client for the login in force — KINO_API_URL and KINO_API_KEY over the stored one.

/** Where `npm run up` serves the api. */
export const DEFAULT_API_URL = 'http://127.0.0.1:4000';

export const VERSION: string = createRequire(import.meta.url)('../package.json').version;

export interface Context {
  configDir: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** The login in force and a client for it; throws NOT_LOGGED_IN (exit 3) without a key. */
  client(): Promise<{ kino: Kino; login: Login }>;
}

/**
 * The environment's login when KINO_API_URL and KINO_API_KEY are set, else the stored one.
 * Only one of them set is refused: mixed with the stored login it would send the stored key
 * to another server, or the environment's key to a server stored for another login.
 */
export async function currentLogin(env: NodeJS.ProcessEnv, dir: string): Promise<Login> {
  const url = env['KINO_API_URL'];
  const key = env['KINO_API_KEY'];
  if (url && key) return { api_url: trimUrl(url), api_key: key };
  if (url || key) throw halfEnvLogin(url ? 'KINO_API_URL' : 'KINO_API_KEY', url ? 'KINO_API_KEY' : 'KINO_API_URL');
  const stored = (await readLogin(dir)) ?? {};
  if (!stored.api_key) throw notLoggedIn();
  return { api_url: trimUrl(stored.api_url || DEFAULT_API_URL), api_key: stored.api_key };
}

const halfEnvLogin = (set: string, unset: string) =>
  new CliError(
    'ENV_LOGIN_INCOMPLETE',
    `${set} is set but ${unset} is not: set both (the environment replaces the stored login as a pair), or unset ${set} to use the stored login.`,
    EXIT.USAGE,
  );

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
