import { loadConfig, runRole } from '@kino/config';
import { createEdge } from './index.ts';

const config = loadConfig();
if (!config.clickhouse.url && config.telemetry.enabled) {
  // chdb lives in this process: an api in another process reads a different ClickHouse.
  console.warn(
    'edge: CLICKHOUSE_URL is not set; telemetry goes to the embedded ClickHouse of this process, ' +
      'which only an api in the same process (npm run up) can query. Set CLICKHOUSE_URL when roles run apart.',
  );
}
await runRole('edge', async () => createEdge(config));
