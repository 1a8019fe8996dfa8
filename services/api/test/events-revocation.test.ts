import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueApiKey, revokeApiKey } from '@kino/db';
import { startApiHarness, type ApiHarness } from '@kino/testkit-stack';

let h: ApiHarness;
beforeAll(async () => {
  // A one-second heartbeat, so the test sees several of them without waiting the default 15 s.
  h = await startApiHarness({ EVENTS_HEARTBEAT_SECONDS: '1' });
});
afterAll(() => h?.close());

/** An open SSE stream whose text accumulates as it arrives; `ended` settles when the api closes it. */
async function openStream(key: string) {
  const controller = new AbortController();
  const res = await fetch(`${h.api.url}/v1/events`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
  expect(res.status).toBe(200);
  const s = { text: '', ended: undefined as unknown as Promise<void>, close: () => controller.abort() };
  s.ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body!) s.text += decoder.decode(chunk as Uint8Array, { stream: true });
    } catch {
      // aborted by the test
    }
  })();
  return s;
}

const pings = (text: string) => text.split(': ping\n\n').length - 1;

async function until(_what: string, ok: () => boolean): Promise<void> {
  // No time limit of its own: the test's timeout bounds it.
  while (!ok()) await new Promise((r) => setTimeout(r, 20));
}

describe('an event stream whose API key is revoked', () => {
  it('ends at its next heartbeat with the error shape, and the key opens no new stream', async () => {
    const account = await createAccount(h.db.sql, 'streams');
    const revoked = await issueApiKey(h.db.sql, account.id, { name: 'to revoke' });
    const kept = await issueApiKey(h.db.sql, account.id, { name: 'kept' });
    const doomed = await openStream(revoked.key);
    const other = await openStream(kept.key);
    // Both streams are live and re-checked: each has been pinged.
    await until('first pings', () => pings(doomed.text) >= 1 && pings(other.text) >= 1);

    expect(await revokeApiKey(h.db.sql, account.id, revoked.id)).not.toBeNull();
    const pingsAtRevocation = pings(doomed.text);
    await doomed.ended;

    // At most the heartbeat whose check ran before the revocation committed pings again.
    expect(pings(doomed.text) - pingsAtRevocation).toBeLessThanOrEqual(1);
    const last = doomed.text.trimEnd().split('\n\n').at(-1)!;
    const [eventLine, dataLine] = last.split('\n');
    expect(eventLine).toBe('event: error');
    expect(JSON.parse(dataLine!.slice('data: '.length))).toEqual({
      error: { code: 'API_KEY_REVOKED', message: expect.any(String), request_id: expect.stringMatching(/^req_/) },
    });

    // The other key of the same account keeps its stream through further heartbeats.
    const before = pings(other.text);
    await until('more pings on the kept stream', () => pings(other.text) >= before + 2);
    expect(other.text).not.toContain('API_KEY_REVOKED');
    other.close();
    await other.ended;

    const again = await fetch(`${h.api.url}/v1/events`, { headers: { authorization: `Bearer ${revoked.key}` } });
    expect(again.status).toBe(401);
    expect(((await again.json()) as any).error.code).toBe('INVALID_API_KEY');
    // Revoking twice changes nothing; another account cannot revoke the key.
    expect(await revokeApiKey(h.db.sql, account.id, revoked.id)).toBeNull();
    const stranger = await createAccount(h.db.sql, 'stranger');
    expect(await revokeApiKey(h.db.sql, stranger.id, kept.id)).toBeNull();
  });

  it('gives the stream slot back, so the account can open streams up to its limit again', async () => {
    const account = await createAccount(h.db.sql, 'slots');
    const limit = h.config.events.maxStreamsPerAccount;
    const keys = await Promise.all(Array.from({ length: limit }, () => issueApiKey(h.db.sql, account.id)));
    const streams = await Promise.all(keys.map((k) => openStream(k.key)));
    const fresh = await issueApiKey(h.db.sql, account.id);
    const refused = await fetch(`${h.api.url}/v1/events`, { headers: { authorization: `Bearer ${fresh.key}` } });
    expect(refused.status).toBe(429);
    await refused.body?.cancel();

    await revokeApiKey(h.db.sql, account.id, keys[0]!.id);
    await streams[0]!.ended;
    const reopened = await openStream(fresh.key);
    reopened.close();
    for (const s of streams.slice(1)) s.close();
    await Promise.all([reopened.ended, ...streams.map((s) => s.ended)]);
  });
});
