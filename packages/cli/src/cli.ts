import { Command, CommanderError } from 'commander';
import { assetCommands } from './commands/assets.ts';
import { eventsCommand } from './commands/events.ts';
import { keysCommands } from './commands/keys.ts';
import { loginCommands } from './commands/login.ts';
import { mcpCommand } from './commands/mcp.ts';
import { uploadCommand } from './commands/upload.ts';
import { webhooksCommands } from './commands/webhooks.ts';
import { type Context, createContext, VERSION } from './context.ts';
import { describeError, exitCodeFor, type PrintedError } from './errors.ts';
import { EXIT, EXIT_CODES_HELP, type ExitCode } from './exit-codes.ts';

const ENV_HELP = `Environment:
  KINO_API_URL, KINO_API_KEY   together, replace the stored login (for CI and scripts); one alone is refused
  XDG_CONFIG_HOME              where the login is kept: $XDG_CONFIG_HOME/kino (default ~/.config/kino)`;

const OUTPUT_HELP = `Output:
  --json prints the answer as JSON on stdout, and any error, usage errors included, as
  {"error": {"code", "message", "request_id"?}} on stderr.`;

/** The command line; with `json`, a usage error is printed in the one JSON error shape too. */
export function createProgram(ctx: Context, o: { json: boolean } = { json: false }): Command {
  const program = new Command('kino')
    .description('Upload, list, play and watch videos on Kino.')
    .version(VERSION)
    // Usage errors become exit 2 (run() below), not commander's own process.exit(1).
    .exitOverride()
    .addHelpText('after', `\n${OUTPUT_HELP}\n\n${ENV_HELP}\n\n${EXIT_CODES_HELP}`);
  // Set before the subcommands are added: they copy these settings when created.
  if (o.json) program.configureOutput({ outputError: (message, write) => write(jsonUsageError(message)) });
  else program.showHelpAfterError('(add --help for usage)');
  loginCommands(program, ctx);
  uploadCommand(program, ctx);
  assetCommands(program, ctx);
  eventsCommand(program, ctx);
  keysCommands(program, ctx);
  webhooksCommands(program, ctx);
  mcpCommand(program, ctx);
  return program;
}

/**
 * Runs one command line and answers its exit code. Ctrl-C aborts what is in flight (an
 * upload keeps its place to resume from) and exits 130; a second one exits at once.
 */
export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(EXIT.INTERRUPTED);
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  const json = argv.includes('--json');
  try {
    await createProgram(createContext(env, interrupt.signal), { json }).parseAsync(argv, { from: 'user' });
    // A stream that ended because of Ctrl-C (`kino events --follow`) ends as interrupted too.
    return interrupt.signal.aborted ? EXIT.INTERRUPTED : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    const code = interrupt.signal.aborted ? EXIT.INTERRUPTED : exitCodeFor(err);
    const e = code === EXIT.INTERRUPTED ? { code: 'INTERRUPTED', message: 'Interrupted.' } : describeError(err);
    if (json) process.stderr.write(jsonError(e));
    else process.stderr.write(`kino: ${e.code}: ${e.message}${e.request_id ? ` (request ${e.request_id})` : ''}\n`);
    return code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

const jsonError = (e: PrintedError) => `${JSON.stringify({ error: e })}\n`;

/** Commander's "error: unknown option '--x'\n" as the CLI's JSON error. */
const jsonUsageError = (message: string) => jsonError({ code: 'USAGE', message: message.replace(/^error: /, '').trim() });
