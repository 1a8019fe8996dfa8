import { EVENT_TYPES } from '@kino/events';
import { errorCodeTable } from '@kino/http';
import { DONE_STEP, PROGRESS_STEPS } from '@kino/pipeline';
import { DEFAULT_RETRY_SCHEDULE_MS } from '@kino/webhooks';
import { loadConfig, type Config } from '@kino/config';
import { buildApp } from './app.ts';
import type { ApiDeps } from './deps.ts';
import { publishedDocument } from './openapi.ts';

// Parts of the README that restate lists kept in code are rendered from those lists, so
// the two cannot drift: `npm run docs` rewrites them, and a test fails when they are stale.
// In the README each part sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`.

const duration = (ms: number) => (ms < 60_000 ? `${ms / 1000} s` : ms < 3_600_000 ? `${ms / 60_000} min` : `${ms / 3_600_000} h`);

const code = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');

export const README_PARTS: Record<string, () => string> = {
  'error-codes': errorCodeTable,
  'progress-steps': () =>
    [
      `- a URL import's job (\`import_source\`), before the first: ${code(PROGRESS_STEPS.import_source)} (\`fraction\` known when the source sends its length);`,
      `- the first job (\`process_source\`): ${code(PROGRESS_STEPS.process_source)} (\`playlists\` are published beside the \`opener\`);`,
      `- the ladder's job (\`encode_ladder\`): ${code(PROGRESS_STEPS.encode_ladder)} (\`audio\` runs beside \`download\` and \`probe\`, \`thumbnail\` beside \`ladder\`);`,
      `- \`${DONE_STEP}\` once a job succeeded;`,
      `- after a delete, the purge job (\`purge_asset\`) reports ${code(PROGRESS_STEPS.purge_asset)} in the event log (the asset's \`progress\` stays its processing job's).`,
    ].join('\n'),
  'event-types': () =>
    Object.entries(EVENT_TYPES)
      .map(([type, text]) => `- \`${type}\`: ${text}`)
      .join('\n'),
  'webhook-retries': () =>
    `${DEFAULT_RETRY_SCHEDULE_MS.length + 1} attempts: at once, then after ${DEFAULT_RETRY_SCHEDULE_MS.map(duration).join(', ')} ` +
    '(each ±20 %), about a day in all; then the delivery is `failed`.',
};

/** `readme` with every generated part rendered anew. */
export function renderReadme(readme: string): string {
  return readme.replace(
    /(<!-- generated:([\w-]+) -->)[\s\S]*?(<!-- \/generated:\2 -->)/g,
    (_all, open: string, name: string, close: string) => {
      const render = README_PARTS[name];
      if (!render) throw new Error(`README.md has a generated part "${name}" that nothing renders`);
      return `${open}\n${render()}\n${close}`;
    },
  );
}

/**
 * The document of an api built from `config` alone: routes are registered but never
 * answer, so every other dependency is a stand-in that fails loudly if anything reaches
 * for it while the document is made.
 */
export async function buildDocument(
  config: Config = loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000', LOG_LEVEL: 'silent' }),
): Promise<Record<string, unknown>> {
  const standIn: unknown = new Proxy(() => {}, {
    get: (_t, name) => (name === 'then' ? undefined : standIn),
    apply: () => {
      throw new Error('building the OpenAPI document used a dependency of the api');
    },
  });
  const deps = new Proxy({ config } as ApiDeps, { get: (t, name) => (name in t ? t[name as keyof ApiDeps] : standIn) });
  const app = await buildApp(deps);
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}

/** docs/openapi.json as `npm run docs` writes it. */
export const renderOpenApi = async (): Promise<string> => publishedDocument(await buildDocument());
