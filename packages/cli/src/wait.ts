import { KinoError } from '@kino/sdk';
import type { Kino } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { CliError } from './errors.ts';

// Waiting for an asset to play, for `kino upload --wait` and the MCP wait_for_playable tool.
// The SDK waits on the event stream; when the wait ends in a failure of the asset itself
// (processing failed, or it was deleted) that is ASSET_FAILED, exit 5, with the asset's own
// error code and message — not a failure of the API.

export const WAIT_TARGETS = { opener: 'opener_ready', hls: 'hls_ready' } as const;
export type WaitTarget = keyof typeof WAIT_TARGETS;

export async function waitForAsset(
  kino: Kino,
  id: string,
  target: WaitTarget,
  opts: { signal?: AbortSignal; timeoutMs?: number } = {},
) {
  try {
    return await kino.assets.waitUntil(id, WAIT_TARGETS[target], opts);
  } catch (err) {
    if (!(err instanceof KinoError) || err.status !== 0 || err.code === 'NETWORK_ERROR' || opts.signal?.aborted) throw err;
    // A status of 0 and no network failure: the asset failed or went away while we waited.
    const asset = await kino.assets.get(id).catch(() => undefined);
    const cause = asset?.error ?? { code: err.code, message: err.message };
    throw new CliError(cause.code ?? 'ASSET_FAILED', `Asset ${id} will not play: ${cause.message ?? err.message}`, EXIT.ASSET_FAILED);
  }
}
