import { loadConfig, runRole } from '@kino/config';
import { createApi } from './index.ts';

const config = loadConfig();
if (!config.clickhouse.url) {
  // chdb lives in this process: edges in other processes write to a different ClickHouse.
  console.warn(
    'api: CLICKHOUSE_URL is not set; analytics read the embedded ClickHouse of this process, ' +
      'which only an edge in the same process (npm run up) writes to. Set CLICKHOUSE_URL when roles run apart.',
  );
}
await runRole('api', async () => createApi(config));
