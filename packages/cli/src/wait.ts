import { type Kino, KinoError } from '@kino/sdk';
import { EXIT } from './exit-codes.ts';
import { CliError } from './errors.ts';

// Waiting for an asset to play, for `kino upload --wait` and the MCP wait_for_playable tool.
// The SDK waits on the event stream and rejects with a status-0 KinoError carrying the
// asset's own error code when it fails or is deleted: that is exit 5, not a failure of the
// API, a timeout or the network.

export const WAIT_TARGETS = { opener: 'opener_ready', hls: 'hls_ready' } as const;
export type WaitTarget = keyof typeof WAIT_TARGETS;

const NOT_THE_ASSET = new Set(['NETWORK_ERROR', 'TIMEOUT']);

export async function waitForAsset(kino: Kino, id: string, target: WaitTarget, opts: { signal?: AbortSignal; timeoutMs?: number } = {}) {
  try {
    return await kino.assets.waitUntil(id, WAIT_TARGETS[target], opts);
  } catch (err) {
    if (err instanceof KinoError && err.status === 0 && !NOT_THE_ASSET.has(err.code)) {
      throw new CliError(err.code, err.message, EXIT.ASSET_FAILED);
    }
    throw err;
  }
}
