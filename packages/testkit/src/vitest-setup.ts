import { afterAll, afterEach } from 'vitest';
import { enableResponseChecks, takeResponseViolations } from '@kino/http';
import { removeScratch } from './config.ts';

// Runs in every test file (vitest.config.ts setupFiles), around the file's own hooks.

// Every api a test builds checks its answers against its OpenAPI document; an answer the
// document does not describe fails the test that made it (or the file, when a hook did).
enableResponseChecks();
const failOnViolations = () => {
  const violations = takeResponseViolations();
  if (violations.length > 0) {
    throw new Error(`The api answered what its OpenAPI document does not describe:\n- ${violations.join('\n- ')}`);
  }
};
afterEach(failOnViolations);
afterAll(failOnViolations);

afterAll(removeScratch);
