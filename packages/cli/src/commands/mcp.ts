import type { Command } from 'commander';
import type { Context } from '../context.ts';

export function mcpCommand(program: Command, ctx: Context): void {
  program
    .command('mcp')
    .description('serve the Model Context Protocol on stdin/stdout, for AI assistants')
    .addHelpText(
      'after',
      '\nTools: import_video, list_assets, get_asset, wait_for_playable, get_playback_url, get_analytics, delete_asset.\n' +
        'Uses the stored login, or KINO_API_URL and KINO_API_KEY (both). stdout carries the protocol; messages go to stderr.\n\n' +
        'Example (an MCP client configuration):\n' +
        '  { "mcpServers": { "kino": { "command": "kino", "args": ["mcp"], "env": { "KINO_API_URL": "https://kino.example.com", "KINO_API_KEY": "kino_…" } } } }',
    )
    .action(async () => {
      const { kino, login } = await ctx.client();
      // Loaded here: the MCP SDK is large, and no other command needs it.
      const [{ createMcpServer }, { StdioServerTransport }] = await Promise.all([
        import('../mcp/server.ts'),
        import('@modelcontextprotocol/sdk/server/stdio.js'),
      ]);
      const server = createMcpServer(kino);
      const closed = new Promise<void>((resolve) => {
        server.server.onclose = resolve;
      });
      ctx.signal.addEventListener('abort', () => void server.close(), { once: true });
      // The client went away: nothing more can come.
      process.stdin.once('end', () => void server.close());
      await server.connect(new StdioServerTransport());
      process.stderr.write(`kino mcp: serving ${login.api_url} over stdio\n`);
      await closed;
    });
}
