import { loadConfig, runRole } from '@kino/config';
import { createWorker } from './index.ts';

await runRole('worker', async () => createWorker(loadConfig()));
