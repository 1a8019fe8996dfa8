import type { Command } from 'commander';
import { loginFile, removeLogin, saveLogin } from '../config-store.ts';
import { type Context, DEFAULT_API_URL, kinoFor, trimUrl } from '../context.ts';
import { usageError } from '../errors.ts';
import { fields, print, printJson } from '../output.ts';
import { ask, askHidden, readLine } from '../prompt.ts';

export function loginCommands(program: Command, ctx: Context): void {
  program
    .command('login')
    .description('check an API key against the API and store it, with the API URL, for the next commands')
    .option('--api-url <url>', `the API's base URL (asked on a terminal; default ${DEFAULT_API_URL})`)
    .option('--api-key <key>', 'the API key (else asked without echo on a terminal, or read from the first line of stdin)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nThe login is kept in $XDG_CONFIG_HOME/kino/config.json (~/.config/kino by default), readable by you alone.\n' +
        'KINO_API_URL and KINO_API_KEY in the environment, both set, replace it; one alone is refused.\n\n' +
        'Examples:\n  kino login --api-url http://127.0.0.1:4000\n  echo "$KEY" | kino login --api-url https://kino.example.com',
    )
    .action(async (opts: { apiUrl?: string; apiKey?: string; json?: boolean }) => {
      const terminal = Boolean(process.stdin.isTTY);
      const apiUrl = trimUrl(
        opts.apiUrl ?? (terminal ? (await ask(`API URL [${DEFAULT_API_URL}]: `)) || DEFAULT_API_URL : DEFAULT_API_URL),
      );
      checkUrl(apiUrl);
      const apiKey = opts.apiKey ?? (terminal ? await askHidden('API key: ') : await readLine());
      if (!apiKey) throw usageError('No API key given: pass --api-key, type it when asked, or pipe it on stdin.');
      const account = await kinoFor({ api_url: apiUrl, api_key: apiKey }).account.get();
      await saveLogin(ctx.configDir, { api_url: apiUrl, api_key: apiKey });
      const result = { api_url: apiUrl, account: { id: account.id, name: account.name, plan: account.plan } };
      if (opts.json) return printJson(result);
      print(
        fields([
          ['Logged in to', apiUrl],
          ['Account', `${account.name} (${account.id})`],
          ['Plan', account.plan],
          ['Saved in', loginFile(ctx.configDir)],
        ]),
      );
    });

  program
    .command('logout')
    .description('forget the stored API key')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const removed = await removeLogin(ctx.configDir);
      if (opts.json) return printJson({ logged_out: removed });
      print(removed ? 'Logged out.' : 'Not logged in.');
      if (ctx.env['KINO_API_KEY']) print('KINO_API_KEY is still set in the environment: with KINO_API_URL, commands use it.');
    });
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`--api-url is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw usageError('--api-url must be an http or https URL.');
}
