import { activeApiKeys, type Sql } from '@kino/db';
import type { RedisBus } from '@kino/events';
import { KEYS_CHANNEL } from './authenticator.ts';

// Long-lived requests (event streams) outlive the check that let them in. When a key or an
// account changes anywhere (KEYS_CHANNEL), every key this process is watching is checked
// again in one query, and the watchers of those no longer active are told: a revoked key
// loses its streams within a second, not at the stream's next heartbeat.

export interface KeyWatch {
  /** Calls `onInactive` once `keyId` is revoked, expired or its account disabled; returns the unwatch. */
  watch(keyId: string, onInactive: () => void): () => void;
  close(): void;
}

export function createKeyWatch(o: { sql: Sql; bus: RedisBus; log?: { warn(obj: object, msg?: string): void } }): KeyWatch {
  const watchers = new Map<string, Set<() => void>>();
  let checking = false;
  let again = false;

  async function check(): Promise<void> {
    if (checking) return void (again = true);
    checking = true;
    try {
      do {
        again = false;
        const ids = [...watchers.keys()];
        if (ids.length === 0) return;
        const active = await activeApiKeys(o.sql, ids);
        for (const id of ids) if (!active.has(id)) for (const fn of watchers.get(id) ?? []) fn();
      } while (again);
    } catch (err) {
      // Postgres away is not a revocation: the streams' heartbeats ask again.
      o.log?.warn({ err }, 'could not re-check the keys of open streams after a key change');
    } finally {
      checking = false;
    }
  }

  const subscription = o.bus.subscribe(KEYS_CHANNEL, () => void check());
  return {
    watch(keyId, onInactive) {
      let set = watchers.get(keyId);
      if (!set) watchers.set(keyId, (set = new Set()));
      set.add(onInactive);
      return () => {
        set.delete(onInactive);
        if (set.size === 0 && watchers.get(keyId) === set) watchers.delete(keyId);
      };
    },
    close() {
      subscription.close();
    },
  };
}
