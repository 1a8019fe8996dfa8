import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Kino } from '@kino/sdk';
import { VERSION } from '../context.ts';
import { describeError } from '../errors.ts';
import { WAIT_TARGETS, waitForAsset } from '../wait.ts';

// Kino's tools for an assistant, over the Model Context Protocol. Every answer is the API's
// JSON as text; every failure — the API's refusal, an asset that failed, a delete without
// confirmation — is a tool error carrying the code and message, never a crash of the server.

const Id = z.uuid().describe('The asset id');

const ok = (value: unknown): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] });

const failed = (code: string, message: string, requestId?: string): CallToolResult => ({
  isError: true,
  content: [{ type: 'text', text: `${code}: ${message}${requestId ? ` (request ${requestId})` : ''}` }],
});

/** Runs a tool, turning whatever it throws into a tool error. `signal` aborts when the client cancels the call. */
const tool =
  <A>(run: (args: A, signal: AbortSignal) => Promise<unknown>) =>
  async (args: A, extra: { signal: AbortSignal }): Promise<CallToolResult> => {
    try {
      return ok(await run(args, extra.signal));
    } catch (err) {
      const e = describeError(err);
      return failed(e.code, e.message, e.request_id);
    }
  };

export function createMcpServer(kino: Kino): McpServer {
  const server = new McpServer({ name: 'kino', version: VERSION });

  server.registerTool(
    'import_video',
    {
      title: 'Import a video from a URL',
      description:
        'Creates an asset whose source Kino fetches from an http(s) URL (a public or presigned link). Answers at once with the ' +
        'asset in source_state "importing"; wait_for_playable then waits for it.',
      inputSchema: {
        url: z.url().describe('An http(s) URL of a video file'),
        title: z.string().max(512).optional(),
        playback_policy: z
          .enum(['signed', 'public'])
          .optional()
          .describe('signed (default): playback URLs only through get_playback_url; public: also a public player page'),
      },
    },
    tool(async ({ url, title, playback_policy }, signal) =>
      kino.videos.import(url, {
        ...(title !== undefined && { title }),
        ...(playback_policy && { playbackPolicy: playback_policy }),
        signal,
      }),
    ),
  );

  server.registerTool(
    'list_assets',
    {
      title: 'List assets',
      description: 'The account’s assets, newest first, a page at a time: pass next_cursor back as cursor for the next page.',
      inputSchema: {
        limit: z.number().int().min(1).max(100).optional(),
        cursor: z.string().optional(),
        playable_state: z.enum(['not_playable', 'opener_ready', 'hls_ready', 'deleted']).optional(),
      },
    },
    tool(async ({ limit, cursor, playable_state }) =>
      kino.assets.list({ ...(limit && { limit }), ...(cursor && { cursor }), ...(playable_state && { state: playable_state }) }),
    ),
  );

  server.registerTool(
    'get_asset',
    {
      title: 'Get an asset',
      description: 'One asset: source_state, playable_state, processing progress, renditions, error if it failed.',
      inputSchema: { id: Id },
    },
    tool(async ({ id }) => kino.assets.get(id)),
  );

  server.registerTool(
    'wait_for_playable',
    {
      title: 'Wait until an asset plays',
      description:
        'Waits until the asset’s opener (the first seconds, playable within seconds of the upload) or its whole HLS ladder is ' +
        'ready, and returns the asset. A tool error if the asset fails, is deleted, or the wait times out.',
      inputSchema: {
        id: Id,
        until: z.enum(Object.keys(WAIT_TARGETS) as [keyof typeof WAIT_TARGETS]).default('opener'),
        timeout_seconds: z.number().int().min(1).max(3600).default(300),
      },
    },
    tool(async ({ id, until, timeout_seconds }, signal) => waitForAsset(kino, id, until, { timeoutMs: timeout_seconds * 1000, signal })),
  );

  server.registerTool(
    'get_playback_url',
    {
      title: 'Get a playback URL',
      description: 'Signed URLs that play the asset (HLS master, opener MP4) on the best edge, and when they expire.',
      inputSchema: { id: Id, ttl_seconds: z.number().int().min(10).optional().describe('How long the URLs stay valid') },
    },
    tool(async ({ id, ttl_seconds }) => kino.playback.url(id, ttl_seconds === undefined ? {} : { ttl: ttl_seconds })),
  );

  server.registerTool(
    'get_analytics',
    {
      title: 'Get an asset’s analytics',
      description:
        'Playback (requests, bytes, cache hit ratio, by status and artifact) and quality of experience (views, startup time, ' +
        'rebuffering, error rate) over the last day.',
      inputSchema: { id: Id },
    },
    tool(async ({ id }) => {
      const [playback, qoe] = await Promise.all([kino.analytics.playback(id), kino.analytics.qoe(id)]);
      return { playback, qoe };
    }),
  );

  server.registerTool(
    'delete_asset',
    {
      title: 'Delete an asset',
      description: 'Deletes the asset everywhere: playback stops at once and its files are removed. Needs confirm: true.',
      inputSchema: { id: Id, confirm: z.boolean().optional().describe('Must be true: deleting cannot be undone') },
      annotations: { destructiveHint: true },
    },
    async ({ id, confirm }, extra) => {
      if (confirm !== true) return failed('CONFIRMATION_REQUIRED', `Deleting asset ${id} cannot be undone: call again with confirm: true.`);
      return tool(async () => {
        await kino.assets.delete(id);
        return { id, deleted: true };
      })({}, extra);
    },
  );

  return server;
}
