import { afterAll } from 'vitest';
import { removeScratch } from './config.ts';

// Runs in every test file (vitest.config.ts setupFiles), after the file's own afterAll hooks.
afterAll(removeScratch);
