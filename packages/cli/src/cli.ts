import { Command, CommanderError } from 'commander';
import { assetCommands } from './commands/assets.ts';
import { eventsCommand } from './commands/events.ts';
import { keysCommands } from './commands/keys.ts';
import { loginCommands } from './commands/login.ts';
import { mcpCommand } from './commands/mcp.ts';
import { uploadCommand } from './commands/upload.ts';
import { webhooksCommands } from './commands/webhooks.ts';
import { type Context, createContext, VERSION } from './context.ts';
import { describeError, exitCodeFor } from './errors.ts';
import { EXIT, EXIT_CODES_HELP, type ExitCode } from './exit-codes.ts';

const ENV_HELP = `Environment:
  KINO_API_URL, KINO_API_KEY   override the stored login (for CI and scripts)
  XDG_CONFIG_HOME              where the login is kept: $XDG_CONFIG_HOME/kino (default ~/.config/kino)`;

export function createProgram(ctx: Context): Command {
  const program = new Command('kino')
    .description('Upload, list, play and watch videos on Kino.')
    .version(VERSION)
    // Usage errors become exit 2 (run() below), not commander's own process.exit(1).
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\n${ENV_HELP}\n\n${EXIT_CODES_HELP}`);
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
    await createProgram(createContext(env, interrupt.signal)).parseAsync(argv, { from: 'user' });
    // A stream that ended because of Ctrl-C (`kino events --follow`) ends as interrupted too.
    return interrupt.signal.aborted ? EXIT.INTERRUPTED : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    const code = interrupt.signal.aborted ? EXIT.INTERRUPTED : exitCodeFor(err);
    const e = code === EXIT.INTERRUPTED ? { code: 'INTERRUPTED', message: 'Interrupted.' } : describeError(err);
    if (json) process.stderr.write(`${JSON.stringify({ error: e })}\n`);
    else process.stderr.write(`kino: ${e.code}: ${e.message}${e.request_id ? ` (request ${e.request_id})` : ''}\n`);
    return code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
