import { EVENT_TYPES } from '@kino/events';
import { errorCodeTable } from '@kino/http';
import { DONE_STEP, PROGRESS_STEPS } from '@kino/pipeline';
import { DEFAULT_RETRY_SCHEDULE_MS } from '@kino/webhooks';

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
