import { loadConfig, runRole } from '@kino/config';
import { createEdge } from './index.ts';

await runRole('edge', async () => createEdge(loadConfig()));
