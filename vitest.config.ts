import { defineConfig } from 'vitest/config';

// Workspace packages that publish a build (@kino/sdk) are read from their sources through
// this private export condition (see tsconfig.base.json): tests need no build first. Vitest
// adds its own defaults to these lists (it leaves out `module`), and passes the ssr ones to
// its workers as --conditions for what Node itself imports.
const SOURCE = ['@kino/source'];

// Every test file brings its own database, bucket and ports, so files run in parallel;
// ffmpeg-heavy files dominate, hence generous timeouts (no timing assertions live here).
export default defineConfig({
  resolve: { conditions: SOURCE },
  ssr: { resolve: { conditions: SOURCE } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
    // Removes the scratch directories (data dirs, embedded ClickHouse) each file made.
    setupFiles: ['packages/testkit/src/vitest-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time on two cores: one is usually waiting on ffmpeg, Postgres or S3.
    maxWorkers: 2,
  },
});
