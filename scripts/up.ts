// `npm run up`: the whole stack in one process on embedded defaults — api, worker and
// edge, with s3rver on local disk when S3_ENDPOINT is unset. Postgres and Redis were made
// to answer by scripts/bootstrap.mjs before this runs.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, runRole, type Role } from '@kino/config';
import { createDb, ensureAccountWithKey, generateKey, migrate } from '@kino/db';
import { createRedisBus } from '@kino/events';
import { startEmbeddedS3 } from '@kino/storage';
import { createApi } from '@kino/api';
import { createWorker } from '@kino/worker';
import { createEdge } from '@kino/edge';

// On one's own machine an import from localhost is the point, as webhooks delivered there
// are; a deployment decides for itself (IMPORT_ALLOW_PRIVATE defaults to off).
if (process.env['NODE_ENV'] !== 'production') process.env['IMPORT_ALLOW_PRIVATE'] ??= 'true';
const config = loadConfig();

/** KINO_DEV_API_KEY when set, else the key this checkout generated on its first run. */
async function devKey(): Promise<string> {
  const fixed = process.env['KINO_DEV_API_KEY'];
  if (fixed) return fixed;
  const file = join(config.dataDir, 'dev-api-key');
  const saved = await readFile(file, 'utf8').catch(() => '');
  if (saved.trim()) return saved.trim();
  const key = generateKey();
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

await runRole('up', async (): Promise<Role> => {
  const stops: Array<() => Promise<void>> = [];
  if (!config.s3.endpoint) {
    const s3 = await startEmbeddedS3({
      directory: join(config.dataDir, 's3'),
      buckets: [config.s3.bucket],
      port: config.s3.embeddedPort,
    });
    config.s3.endpoint = s3.endpoint;
    stops.push(() => s3.close());
  }

  const sql = createDb(config.databaseUrl, { max: 1, applicationName: 'kino-up' });
  await migrate(sql);
  const key = await devKey();
  await ensureAccountWithKey(sql, 'dev', key);
  await sql.end();

  // One command connection and one subscriber for the api and the worker of this process.
  const bus = createRedisBus(config.redisUrl);
  stops.push(async () => bus.close());
  const api = await createApi(config, { bus });
  const worker = await createWorker(config, { bus });
  const edge = await createEdge(config);
  return {
    async start() {
      for (const role of [api, worker, edge]) {
        await role.start();
        stops.unshift(() => role.stop());
      }
      console.log(`
  Kino is up.
    api     ${api.url}   (OpenAPI: ${api.url}/openapi.json)
    edge    ${edge.url}
    worker  ${worker.url}/healthz
    s3      ${config.s3.endpoint}   bucket "${config.s3.bucket}"
    clickhouse ${config.clickhouse.url ?? `embedded (chdb) in ${config.clickhouse.path}`}   database "${config.clickhouse.database}"
    API key ${key}

  Try it:
    export KEY=${key}
    ffmpeg -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine -t 10 -pix_fmt yuv420p -shortest clip.mp4
    curl -X POST '${api.url}/v1/videos?title=hello&playback_policy=public' -H "authorization: Bearer $KEY" -H 'content-type: video/mp4' --data-binary @clip.mp4
    curl ${api.url}/v1/assets/<id> -H "authorization: Bearer $KEY"
    open ${api.url}/player/<id>      (a page that plays it with <kino-player>: public assets only)
    curl ${api.url}/v1/assets/<id>/playback -H "authorization: Bearer $KEY"      (signed URLs, for any asset)
    curl ${api.url}/v1/assets/<id>/analytics/playback -H "authorization: Bearer $KEY"

  Ctrl-C stops everything.
`);
    },
    async stop() {
      for (const stop of stops) await stop();
    },
  };
});
