import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '@kino/testkit';
import {
  clickHouseWriter,
  encodePlaybackRequest,
  encodePlayerEvent,
  TelemetryEmitter,
  type PlaybackRequestRow,
  type TelemetryWriter,
} from '../src/index.ts';
import { openTestClickHouse, requestRow } from './helpers.ts';

let ch: Awaited<ReturnType<typeof openTestClickHouse>>;
const line = (o: Partial<PlaybackRequestRow> = {}) => encodePlaybackRequest(requestRow(o));
beforeAll(async () => {
  ch = await openTestClickHouse();
});
afterAll(() => ch.drop());

/** The real writer, switched off and on like a ClickHouse going away and coming back. */
function switchable(real: TelemetryWriter) {
  const w = {
    down: false,
    attempts: 0,
    /** Every insert that reached ClickHouse, in order: its table and first row's line. */
    landed: [] as Array<{ table: string; first: string }>,
    /** Replies lost: batches that landed and were reported as failed. */
    lostReplies: 0,
    /** Lands the batch, then reports failure: the reply was lost, so it will be replayed. */
    loseReplies: false,
    async insert(...args: Parameters<TelemetryWriter['insert']>) {
      w.attempts++;
      if (w.down) throw new Error('connect ECONNREFUSED 127.0.0.1:8123');
      await real.insert(...args);
      w.landed.push({ table: args[0], first: args[1].split('\n')[0]! });
      if (w.loseReplies) {
        w.lostReplies++;
        throw new Error('socket hang up');
      }
    },
  };
  return w;
}

async function emitter(writer: TelemetryWriter, extra: Partial<ConstructorParameters<typeof TelemetryEmitter>[0]> = {}) {
  const e = new TelemetryEmitter({
    writer,
    spoolDir: await scratchDir('kino-spool-'),
    spoolBytes: 10 * 1024 * 1024,
    batchRows: 100,
    flushMs: 60_000,
    maxQueuedRows: 10_000,
    replayMs: 60_000,
    ...extra,
  });
  await e.start();
  return e;
}

const countFor = async (assetId: string) => {
  const rs = await ch.client.query({
    query: 'SELECT count() AS n, sum(bytes_served) AS b FROM playback_requests WHERE asset_id = {a:String}',
    query_params: { a: assetId },
    format: 'JSONEachRow',
  });
  const [r] = await rs.json<{ n: number; b: number }>();
  const rollup = await ch.client.query({
    query: "SELECT sum(requests) AS n FROM playback_hourly WHERE dim = 'asset' AND key = {a:String}",
    query_params: { a: assetId },
    format: 'JSONEachRow',
  });
  const [h] = await rollup.json<{ n: number }>();
  // What per-asset answers read: whole hours from asset_hourly.
  const hourly = await ch.client.query({
    query: 'SELECT sum(requests) AS n, sum(bytes) AS b FROM asset_hourly WHERE asset_id = {a:String}',
    query_params: { a: assetId },
    format: 'JSONEachRow',
  });
  const [ah] = await hourly.json<{ n: number; b: number }>();
  return { rows: Number(r!.n), bytes: Number(r!.b), rollup: Number(h!.n), assetHourly: { requests: Number(ah!.n), bytes: Number(ah!.b) } };
};

const playerEventsFor = async (viewId: string) => {
  const rs = await ch.client.query({
    query: 'SELECT count() AS n, uniqExact(event_id) AS u FROM player_events WHERE view_id = {v:UUID}',
    query_params: { v: viewId },
    format: 'JSONEachRow',
  });
  const [r] = await rs.json<{ n: number; u: number }>();
  return { rows: Number(r!.n), distinct: Number(r!.u) };
};

const playerEvent = (viewId: string, i: number) =>
  encodePlayerEvent({
    event_id: crypto.randomUUID(),
    observed_at: Date.now(),
    client_at: Date.now() + i,
    account_id: 'acct-a',
    asset_id: crypto.randomUUID(),
    view_id: viewId,
    edge_id: 'edge-1',
    region: 'eu',
    type: 'rebuffer_start',
    position: i,
    value_ms: 0,
    rendition: '',
    bitrate: 0,
    error_code: '',
  });

describe('TelemetryEmitter', () => {
  it('writes batches by size and on flush', async () => {
    const asset = crypto.randomUUID();
    const e = await emitter(clickHouseWriter(() => ch.client));
    for (let i = 0; i < 250; i++) e.record('playback_requests', line({ asset_id: asset }));
    await e.stop();
    expect(await countFor(asset)).toEqual({ rows: 250, bytes: 250_000, rollup: 250, assetHourly: { requests: 250, bytes: 250_000 } });
    expect(e.stats()).toMatchObject({ writtenRows: 250, queuedRows: 0, spooledBatches: 0, droppedRows: { queue: 0, spool: 0 } });
  });

  it('spools while ClickHouse is away and replays oldest first, exactly once, when it is back', async () => {
    const asset = crypto.randomUUID();
    const w = switchable(clickHouseWriter(() => ch.client));
    const e = await emitter(w);
    w.down = true;
    // Batches of 100 in the order recorded; bytes_served numbers the rows, so a batch's
    // first row says which batch it is.
    for (let i = 0; i < 350; i++) e.record('playback_requests', line({ asset_id: asset, bytes_served: i }));
    await e.flush();
    const viewId = crypto.randomUUID();
    for (let i = 0; i < 30; i++) e.record('player_events', playerEvent(viewId, i));
    await e.flush();
    expect(e.stats()).toMatchObject({ spooledBatches: 5, writtenRows: 0, queuedRows: 0 });
    expect((await readdir(e.spoolDir)).filter((f) => f.endsWith('.jsonl'))).toHaveLength(5);
    expect((await countFor(asset)).rows).toBe(0);
    expect(w.landed).toEqual([]);

    // Back, but the first reply gets lost: that batch lands and is replayed again.
    w.down = false;
    w.loseReplies = true;
    await e.replayNow();
    expect(w.lostReplies).toBe(1);
    expect(w.landed).toHaveLength(1);
    expect(e.stats().spooledBatches).toBe(5);
    w.loseReplies = false;
    await e.replayNow();
    expect(e.stats()).toMatchObject({ spooledBatches: 0, spoolBytes: 0, replayedBatches: 5 });
    // Oldest first: the batch whose reply was lost, again, then the rest in the order spooled.
    const firstBytes = (l: string) => (JSON.parse(l) as unknown[])[11];
    expect(w.landed.map((x) => [x.table, x.table === 'playback_requests' ? firstBytes(x.first) : 'view'])).toEqual([
      ['playback_requests', 0],
      ['playback_requests', 0],
      ['playback_requests', 100],
      ['playback_requests', 200],
      ['playback_requests', 300],
      ['player_events', 'view'],
    ]);
    // Landed twice, counted once: raw rows, both rollups, and the beacons.
    const expected = { rows: 350, bytes: (349 * 350) / 2, rollup: 350, assetHourly: { requests: 350, bytes: (349 * 350) / 2 } };
    expect(await countFor(asset)).toEqual(expected);
    expect(await playerEventsFor(viewId)).toEqual({ rows: 30, distinct: 30 });

    // Healthy again: new rows go straight in.
    for (let i = 0; i < 10; i++) e.record('playback_requests', line({ asset_id: asset, bytes_served: 0 }));
    await e.stop();
    expect(await countFor(asset)).toEqual({ ...expected, rows: 360, rollup: 360, assetHourly: { ...expected.assetHourly, requests: 360 } });
  });

  it('replays a player_events batch whose reply was lost exactly once', async () => {
    const w = switchable(clickHouseWriter(() => ch.client));
    const e = await emitter(w);
    const viewId = crypto.randomUUID();
    w.loseReplies = true;
    for (let i = 0; i < 40; i++) e.record('player_events', playerEvent(viewId, i));
    await e.flush();
    // Landed, reply lost, spooled.
    expect(w.lostReplies).toBe(1);
    expect(e.stats().spooledBatches).toBe(1);
    expect(await playerEventsFor(viewId)).toEqual({ rows: 40, distinct: 40 });
    w.loseReplies = false;
    await e.replayNow();
    expect(w.landed).toHaveLength(2);
    expect(e.stats()).toMatchObject({ spooledBatches: 0, replayedBatches: 1 });
    await e.stop();
    expect(await playerEventsFor(viewId)).toEqual({ rows: 40, distinct: 40 });
  });

  it('drops a batch ClickHouse refuses as bad data, rather than holding every later one back', async () => {
    const asset = crypto.randomUUID();
    const w = switchable(clickHouseWriter(() => ch.client));
    w.down = true;
    const e = await emitter(w, { batchRows: 2 });
    // Spooled while away: a good batch, a batch ClickHouse cannot parse, another good one.
    e.record('playback_requests', line({ asset_id: asset }));
    e.record('playback_requests', line({ asset_id: asset }));
    e.record('playback_requests', line({ event_id: 'urn:uuid:not-one-of-ours' }));
    e.record('playback_requests', line({ asset_id: asset }));
    e.record('playback_requests', line({ asset_id: asset }));
    e.record('playback_requests', line({ asset_id: asset }));
    await e.flush();
    expect(e.stats().spooledBatches).toBe(3);
    w.down = false;
    await e.replayNow();
    expect(e.stats()).toMatchObject({ spooledBatches: 0, droppedRows: { rejected: 2 } });
    // Healthy again, and a bad batch sent directly is dropped the same way.
    e.record('playback_requests', line({ observed_at: 'yesterday' as unknown as number }));
    e.record('playback_requests', line({ observed_at: 'yesterday' as unknown as number }));
    e.record('playback_requests', line({ asset_id: asset }));
    await e.stop();
    expect(e.stats()).toMatchObject({ spooledBatches: 0, droppedRows: { rejected: 4 } });
    expect((await countFor(asset)).rows).toBe(5);
  });

  it('keeps the spool across a restart', async () => {
    const asset = crypto.randomUUID();
    const w = switchable(clickHouseWriter(() => ch.client));
    w.down = true;
    const first = await emitter(w);
    for (let i = 0; i < 120; i++) first.record('playback_requests', line({ asset_id: asset }));
    await first.stop();
    expect(first.stats().spooledBatches).toBe(2);

    w.down = false;
    const second = await emitter(w, { spoolDir: first.spoolDir });
    await second.replayNow();
    await second.stop();
    expect(second.stats().replayedBatches).toBe(2);
    expect((await countFor(asset)).rows).toBe(120);
  });

  it('drops and counts rows only when the queue, or the spool while away, is full', async () => {
    const w = switchable(clickHouseWriter(() => ch.client));
    w.down = true;
    // Room in the spool for one batch of 50 rows, not two.
    const spoolBytes = 50 * (line().length + 1) + 100;
    const e = await emitter(w, { maxQueuedRows: 50, batchRows: 1000, spoolBytes });
    for (let i = 0; i < 80; i++) e.record('playback_requests', line());
    expect(e.stats().droppedRows.queue).toBe(30);
    // The bound is per table: player events still have room.
    e.record('player_events', '[]');
    expect(e.stats()).toMatchObject({ queuedRows: 51, droppedRows: { queue: 30 } });
    await e.flush();
    for (let i = 0; i < 50; i++) e.record('playback_requests', line());
    await e.stop();
    const s = e.stats();
    // The 50 requests and the one player event fit; the next 50 requests do not.
    expect(s.spooledBatches).toBe(2);
    expect(s.droppedRows.spool).toBe(50);
    expect(s.spoolBytes).toBeLessThanOrEqual(spoolBytes);
  });
});
