import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, storedState, type ApiHarness } from '@kino/testkit-stack';

// POST /v1/videos with a JSON body: what the api takes and refuses before any worker is
// involved. Private targets are refused here as in production (IMPORT_ALLOW_PRIVATE=false):
// a host written as a private address at once, a name when the worker resolves it.

const SECRET = 'sig-5e0c7a1f9b';
let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness({ IMPORT_ALLOW_PRIVATE: 'false' });
});
afterAll(() => h?.close());

const send = (body: unknown, headers: Record<string, string> = {}, query = '', key = h.keyA) =>
  fetch(`${h.api.url}/v1/videos${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function refusal(res: Response, status: number, code: string): Promise<{ message: string; details?: any }> {
  const text = await res.text();
  expect(text).not.toContain(SECRET);
  const body = JSON.parse(text);
  expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
  expect(body.error.request_id).toBe(res.headers.get('x-request-id'));
  return body.error;
}

/** What a refused upload must not leave: rows, objects or multipart parts beyond those before it. */
const leftovers = () => storedState(h);

describe('POST /v1/videos with a URL', () => {
  it('answers 202 with the asset importing, and queues the import before any byte is fetched', async () => {
    const before = await leftovers();
    const res = await send({ url: `https://media.example.com/clip.mp4?X-Amz-Signature=${SECRET}`, title: 'From a URL' });
    expect(res.status).toBe(202);
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('media.example.com');
    const asset = JSON.parse(text);
    expect(asset).toMatchObject({
      title: 'From a URL',
      source_state: 'importing',
      playable_state: 'not_playable',
      playback_policy: 'signed',
      source: { content_type: null, bytes: null, meta: null },
      error: null,
    });
    expect(res.headers.get('location')).toBe(asset.links.self);
    const [job] = await h.db.sql`select kind, priority, state from media_jobs where asset_id = ${asset.id}`;
    expect(job).toEqual({ kind: 'import_source', priority: 1, state: 'queued' });
    const events = await (
      await fetch(`${h.api.url}/v1/assets/${asset.id}/events`, { headers: { authorization: `Bearer ${h.keyA}` } })
    ).json();
    expect((events as any).data.map((e: any) => [e.type, e.data.reason ?? null])).toEqual([
      ['asset.created', null],
      ['job.queued', 'import'],
    ]);
    const view = await (await fetch(`${h.api.url}/v1/assets/${asset.id}`, { headers: { authorization: `Bearer ${h.keyA}` } })).json();
    expect(view).toMatchObject({ source_state: 'importing', progress: { job_state: 'queued', step: null } });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(await leftovers()).toEqual({ ...before, assets: [...before.assets, asset.id].sort() });
  });

  it('takes a name that may resolve anywhere: the worker checks what it resolves to when it connects', async () => {
    expect((await send({ url: 'http://localhost:9/clip.mp4' })).status).toBe(202);
  });

  it('refuses a URL that is not http(s), carries a password, is too long or names a private address literally, without repeating it', async () => {
    const before = await leftovers();
    const refused = async (url: unknown, message: string) => {
      const e = await refusal(await send({ url }), 400, 'INVALID_SOURCE_URL');
      expect(e.message).toBe(message);
    };
    const scheme = '`url` must be an http or https URL with a host.';
    const isPrivate = '`url` names a private, loopback or link-local address, which imports may not reach.';
    await refused(`ftp://media.example.com/clip.mp4?${SECRET}`, scheme);
    await refused(`file:///etc/passwd?${SECRET}`, scheme);
    await refused(`javascript:alert('${SECRET}')`, scheme);
    await refused(`not a url ${SECRET}`, '`url` is not a URL: send an absolute http(s) URL.');
    await refused(
      `https://user:${SECRET}@media.example.com/clip.mp4`,
      '`url` must not carry a user name or password: share a private source as a presigned URL.',
    );
    await refused(`https://media.example.com/${SECRET}/${'a'.repeat(4096)}`, '`url` is longer than 4096 characters.');
    for (const host of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '[::1]', '[::ffff:192.168.0.1]', '0x7f.0.0.1', '2130706433']) {
      await refused(`http://${host}/clip.mp4?token=${SECRET}`, isPrivate);
    }
    expect(await leftovers()).toEqual(before);
  });

  it('refuses unknown fields, a missing or non-string url and query parameters in the error shape, leaving nothing behind', async () => {
    const before = await leftovers();
    const unknown = await refusal(await send({ url: 'https://media.example.com/a.mp4', tittle: 'x' }), 400, 'VALIDATION_ERROR');
    expect(unknown.message).toBe(
      'Unknown body field `tittle`: this route takes `url`, `title`, `passthrough`, `playback_policy`, `preset`, `static_renditions`.',
    );
    expect((await refusal(await send({ title: 'no url' }), 400, 'VALIDATION_ERROR')).message).toBe('The body field `url` is required.');
    await refusal(await send({ url: { href: 'https://media.example.com/a.mp4' } }), 400, 'VALIDATION_ERROR');
    await refusal(await send(['https://media.example.com/a.mp4']), 400, 'VALIDATION_ERROR');
    const policy = await refusal(await send({ url: 'https://media.example.com/a.mp4', playback_policy: 'open' }), 400, 'VALIDATION_ERROR');
    expect(policy.message).toBe('`playback_policy` must be one of: signed, public (got "open").');
    const query = await refusal(
      await send({ url: 'https://media.example.com/a.mp4' }, {}, '?title=x&wait=playable'),
      400,
      'VALIDATION_ERROR',
    );
    expect(query.message).toBe(
      'A URL import takes its fields in the JSON body and no query parameters: `title`, `wait` came in the query.',
    );
    await refusal(await send('{"url": '), 400, 'INVALID_JSON');
    expect(await leftovers()).toEqual(before);
  });

  it('names the content types it takes, JSON among them', async () => {
    const e = await refusal(await send('hello', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_CONTENT_TYPE');
    expect(e.message).toBe(
      'The content type text/plain is not accepted here; send video/*, audio/*, application/octet-stream, multipart/form-data, application/json.',
    );
  });

  it('documents the JSON body beside the file bodies, and the 202, in the OpenAPI document', async () => {
    const post = ((await (await fetch(`${h.api.url}/openapi.json`)).json()) as any).paths['/v1/videos'].post;
    expect(Object.keys(post.requestBody.content).sort()).toEqual(
      ['application/json', 'application/octet-stream', 'audio/*', 'multipart/form-data', 'video/*'].sort(),
    );
    expect(post.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['url'],
      additionalProperties: false,
      properties: { url: { type: 'string' }, title: { maxLength: 512 }, playback_policy: { enum: ['signed', 'public'] } },
    });
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '201', '202']));
  });

  it('replays an Idempotency-Key for the same import, and refuses it for another import or an upload', async () => {
    const key = { 'idempotency-key': 'import-1' };
    const body = { url: `https://media.example.com/a.mp4?sig=${SECRET}`, title: 'Once' };
    const first = await send(body, key);
    expect(first.status).toBe(202);
    const asset = (await first.json()) as any;
    const again = await send(body, key);
    expect(again.status).toBe(200);
    expect(((await again.json()) as any).id).toBe(asset.id);
    const before = await leftovers();

    const other = await refusal(await send({ ...body, url: 'https://media.example.com/b.mp4' }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(other.details).toEqual({ differs: ['url'] });
    expect((await refusal(await send({ ...body, title: 'Twice' }, key), 422, 'IDEMPOTENCY_KEY_REUSED')).details).toEqual({
      differs: ['title'],
    });
    const upload = await fetch(`${h.api.url}/v1/videos?title=Once`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keyA}`, 'content-type': 'video/mp4', ...key },
      body: Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(4096)]),
    });
    expect((await refusal(upload, 422, 'IDEMPOTENCY_KEY_REUSED')).details).toEqual({ differs: ['url', 'content_type', 'body'] });
    // Keys are the account's own: another account's same key is another import.
    const theirs = await send(body, key, '', h.keyB);
    expect(theirs.status).toBe(202);
    const { id: otherId } = (await theirs.json()) as { id: string };
    expect(await leftovers()).toEqual({ ...before, assets: [...before.assets, otherId].sort() });
    // What the key keeps of the URL is a hash.
    const [row] = await h.db.sql`select idempotency_request from assets where id = ${asset.id}`;
    expect(JSON.stringify(row!.idempotency_request)).not.toContain(SECRET);
  });
});
