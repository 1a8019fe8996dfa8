import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '@kino/testkit';
import { clickHouseWriter, encodePlaybackRequest, TelemetryEmitter, type PlaybackRequestRow, type TelemetryWriter } from '../src/index.ts';
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
    /** Lands the batch, then reports failure: the reply was lost, so it will be replayed. */
    loseReplies: false,
    async insert(...args: Parameters<TelemetryWriter['insert']>) {
      w.attempts++;
      if (w.down) throw new Error('connect ECONNREFUSED 127.0.0.1:8123');
      await real.insert(...args);
      if (w.loseReplies) throw new Error('socket hang up');
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
    query_params: { a: assetId }, format: 'JSONEachRow',
  });
  const [r] = await rs.json<{ n: number; b: number }>();
  const rollup = await ch.client.query({
    query: "SELECT sum(requests) AS n FROM playback_hourly WHERE dim = 'asset' AND key = {a:String}",
    query_params: { a: assetId }, format: 'JSONEachRow',
  });
  const [h] = await rollup.json<{ n: number }>();
  return { rows: Number(r!.n), bytes: Number(r!.b), rollup: Number(h!.n) };
};

describe('TelemetryEmitter', () => {
  it('writes batches by size and on flush', async () => {
    const asset = crypto.randomUUID();
    const e = await emitter(clickHouseWriter(() => ch.client));
    for (let i = 0; i < 250; i++) e.record('playback_requests', line({ asset_id: asset }));
    await e.stop();
    expect(await countFor(asset)).toEqual({ rows: 250, bytes: 250_000, rollup: 250 });
    expect(e.stats()).toMatchObject({ writtenRows: 250, queuedRows: 0, spooledBatches: 0, droppedRows: { queue: 0, spool: 0 } });
  });

  it('spools while ClickHouse is away and replays oldest first, exactly once, when it is back', async () => {
    const asset = crypto.randomUUID();
    const w = switchable(clickHouseWriter(() => ch.client));
    const e = await emitter(w);
    w.down = true;
    for (let i = 0; i < 350; i++) e.record('playback_requests', line({ asset_id: asset, bytes_served: i }));
    await e.flush();
    expect(e.stats()).toMatchObject({ spooledBatches: 4, writtenRows: 0, queuedRows: 0 });
    expect((await readdir(e.spoolDir)).filter((f) => f.endsWith('.jsonl'))).toHaveLength(4);
    expect((await countFor(asset)).rows).toBe(0);

    // Back, but the first replies get lost: those batches land and are replayed again.
    w.down = false;
    w.loseReplies = true;
    await e.replayNow();
    expect(e.stats().spooledBatches).toBe(4);
    w.loseReplies = false;
    await e.replayNow();
    expect(e.stats()).toMatchObject({ spooledBatches: 0, spoolBytes: 0, replayedBatches: 4 });
    const expected = { rows: 350, bytes: (349 * 350) / 2, rollup: 350 };
    expect(await countFor(asset)).toEqual(expected);

    // Healthy again: new rows go straight in.
    for (let i = 0; i < 10; i++) e.record('playback_requests', line({ asset_id: asset, bytes_served: 0 }));
    await e.stop();
    expect(await countFor(asset)).toEqual({ ...expected, rows: 360, rollup: 360 });
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
