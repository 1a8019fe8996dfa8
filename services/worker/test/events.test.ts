import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, insertAsset, issueApiKey } from '@kino/db';
import { announceEvents, appendEvent, createRedisBus } from '@kino/events';
import { DONE_STEP, PROGRESS_STEPS } from '@kino/pipeline';
import { createApi, type Api } from '@kino/api';
import { spawnWorker, startStack, type Stack } from '@kino/testkit-stack';
import { openStream } from './sse.ts';
import { randomUUID } from 'node:crypto';

let s: Stack;
let secondApi: Api;
let worker: ChildProcess;
let otherKey: string;
let otherAccountId: string;

beforeAll(async () => {
  s = await startStack();
  secondApi = await createApi({ ...s.config, api: { ...s.config.api, port: 0 } });
  await secondApi.start();
  otherAccountId = (await createAccount(s.db.sql, 'other')).id;
  otherKey = (await issueApiKey(s.db.sql, otherAccountId)).key;
  // The worker runs in a process of its own: its events reach both apis through Redis.
  worker = spawnWorker(s.config, { JOB_POLL_INTERVAL_MS: '60000' });
});
afterAll(async () => {
  worker?.kill('SIGTERM');
  await secondApi?.stop();
  await s?.close();
});

const auth = (key = s.key) => ({ authorization: `Bearer ${key}` });
const page = async (id: string, after: number, limit: number) =>
  (await (await fetch(`${s.api.url}/v1/assets/${id}/events?after_sequence=${after}&limit=${limit}`, { headers: auth() })).json()) as any;

describe('the event log, live and replayed', () => {
  let assetId: string;
  let all: number[];

  it('streams an upload from start to hls_ready on two apis, fed by a worker in a third process', async () => {
    const one = await openStream(`${s.api.url}/v1/events`, auth());
    const two = await openStream(`${secondApi.url}/v1/events`, auth());
    const stranger = await openStream(`${s.api.url}/v1/events`, auth(otherKey));
    assetId = (await s.upload('standard', { width: 640, height: 360, seconds: 5 })).id;
    const done = (es: { event: string; data: { asset_id: string } }[]) =>
      es.some((e) => e.event === 'asset.hls_ready' && e.data.asset_id === assetId);
    const [got] = await Promise.all([one.until(done), two.until(done)]);
    one.close();
    two.close();

    const mine = got.filter((e) => e.data.asset_id === assetId);
    const types = mine.map((e) => e.event);
    // The first job: the playlists at probe time, the opener. Then the ladder's job: the
    // audio rendition (the whole track, once), the thumbnail, the storyboard, the video renditions and
    // hls_ready. Each exactly once, in order.
    const order = [
      'asset.created',
      'asset.source_uploaded',
      'job.queued',
      'job.started',
      'asset.playlists_ready',
      'asset.opener_ready',
      'job.queued',
      'job.started',
      'asset.rendition_ready:audio',
      'asset.thumbnail_ready',
      'asset.storyboard_ready',
      'asset.rendition_ready:360p',
      'asset.rendition_ready:240p',
      'asset.hls_ready',
    ];
    const milestones = mine
      .map((e) => (e.event === 'asset.rendition_ready' ? `${e.event}:${e.data.data.rendition}` : e.event))
      .filter((t) => t !== 'job.progress' && t !== 'asset.edges_warmed');
    expect(milestones).toEqual(order);
    expect(mine.find((e) => e.event === 'asset.rendition_ready')!.data.data).toMatchObject({
      rendition: 'audio',
      width: null,
      height: null,
      codecs: 'mp4a.40.2',
    });
    expect(mine.find((e) => e.event === 'asset.playlists_ready')!.data.data).toMatchObject({
      renditions: ['360p', '240p', 'audio'],
    });
    expect(types).toContain('job.progress');
    // Each job reports only the steps the README lists for it (PROGRESS_STEPS), in their order.
    const jobs = mine.filter((e) => e.event === 'job.started').map((e) => e.data.data.job_id as number);
    expect(jobs).toHaveLength(2);
    const stepsOf = (jobId: number) => [
      ...new Set(mine.filter((e) => e.event === 'job.progress' && e.data.data.job_id === jobId).map((e) => e.data.data.step as string)),
    ];
    // The first job probes, then publishes the playlists beside making the opener.
    const firstSteps = stepsOf(jobs[0]!);
    expect(firstSteps[0]).toBe('probe');
    expect([...firstSteps].sort()).toEqual([...PROGRESS_STEPS.process_source].sort());
    const ladderSteps = stepsOf(jobs[1]!);
    expect(PROGRESS_STEPS.encode_ladder).toEqual(expect.arrayContaining(ladderSteps));
    expect(ladderSteps).toEqual(expect.arrayContaining(['audio', 'download', 'ladder', 'thumbnail']));
    // `audio` and `thumbnail` run beside other steps; the rest start one after another.
    const started = ladderSteps
      .filter((step) => step !== 'audio' && step !== 'thumbnail')
      .map((step) => PROGRESS_STEPS.encode_ladder.indexOf(step as never));
    expect(started).toEqual([...started].sort((a, b) => a - b));
    // A finished job says so on the asset (it completes just after hls_ready is committed).
    const finished = await s.waitFor(assetId, (a: any) => a.progress?.job_state !== 'running');
    expect(finished.progress).toMatchObject({ job_state: 'succeeded', step: DONE_STEP, fraction: 1 });
    const ids = got.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(two.events.map((e) => e.id)).toEqual(
      expect.arrayContaining(ids.filter((id) => got.find((e) => e.id === id)!.data.asset_id === assetId)),
    );
    for (const e of got)
      expect(e.data).toMatchObject({ id: e.id, type: e.event, asset_id: expect.any(String), created_at: expect.any(String) });

    // Another account saw none of it: a marker of its own, written after everything above,
    // arrives in sequence order, so anything that leaked would have come before it.
    const marker = await appendEvent(s.db.sql, { accountId: otherAccountId, assetId: randomUUID(), type: 'job.progress' });
    const bus = createRedisBus(s.config.redisUrl);
    announceEvents(bus.redis, otherAccountId);
    await stranger.until((es) => es.some((e) => e.id === marker.seq));
    bus.close();
    expect(stranger.events.map((e) => e.id)).toEqual([marker.seq]);
    stranger.close();
  });

  it('pages the same events exactly once with after_sequence', async () => {
    all = [];
    let after = 0;
    for (;;) {
      const p = await page(assetId, after, 3);
      all.push(...p.data.map((e: { id: number }) => e.id));
      if (p.data.length === 0) break;
      after = p.next_after_sequence;
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    const whole = await page(assetId, 0, 500);
    expect(all).toEqual(whole.data.map((e: { id: number }) => e.id));
  });

  it('replays exactly what was missed after Last-Event-ID, filtered to one asset', async () => {
    const resumeAfter = all[3]!;
    const replay = await openStream(`${s.api.url}/v1/events?asset_id=${assetId}`, { ...auth(), 'last-event-id': String(resumeAfter) });
    const got = await replay.until((es) => es.length >= all.length - 4);
    replay.close();
    expect(got.map((e) => e.id)).toEqual(all.slice(4));
    // Another asset of the account, without events of its own yet.
    const accountId = (await s.db.sql`select account_id from assets where id = ${assetId}`)[0]!.account_id as string;
    const other = randomUUID();
    await insertAsset(s.db.sql, { id: other, accountId, contentType: 'video/mp4' });
    const none = await openStream(`${s.api.url}/v1/events?asset_id=${other}&after_sequence=0`, auth());
    // A marker for that asset, written after every other event: the replay reaches it only
    // after passing all of them, so the stream holding only the marker means none leaked.
    const marker = await appendEvent(s.db.sql, { accountId, assetId: other, type: 'job.progress' });
    const bus = createRedisBus(s.config.redisUrl);
    announceEvents(bus.redis, accountId);
    await none.until((es) => es.some((e) => e.id === marker.seq));
    bus.close();
    expect(none.events.map((e) => e.id)).toEqual([marker.seq]);
    none.close();
  });

  it('hands off from replay to live with no gap and no duplicate while events are being written', async () => {
    const accountId = (await s.db.sql`select account_id from assets where id = ${assetId}`)[0]!.account_id as string;
    const bus = createRedisBus(s.config.redisUrl);
    const target = randomUUID();
    const writes = Array.from({ length: 150 }, (_, i) =>
      new Promise((r) => setTimeout(r, i)).then(async () => {
        await appendEvent(s.db.sql, { accountId, assetId: target, type: 'job.progress', data: { i } });
        announceEvents(bus.redis, accountId);
      }),
    );
    const stream = await openStream(`${s.api.url}/v1/events?after_sequence=0`, auth());
    await Promise.all(writes);
    const got = await stream.until((es) => es.filter((e) => e.data.asset_id === target).length >= 150);
    stream.close();
    bus.close();
    const ids = got.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const mine = got.filter((e) => e.data.asset_id === target).map((e) => e.data.data['i']);
    expect(new Set(mine).size).toBe(150);
    // Everything the account had, from the very first event, arrived.
    const [{ n }] = (await s.db.sql`select count(*)::int as n from asset_events where account_id = ${accountId}`) as unknown as [
      { n: number },
    ];
    expect(ids.length).toBe(n);
  });
});
