import { loadConfig, runRole } from '@kino/config';
import { createApi } from './index.ts';

await runRole('api', async () => createApi(loadConfig()));
