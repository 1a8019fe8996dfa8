import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';

export type Row = Record<string, string | number | null>;

/** Prints rows as an aligned text table, columns in the order of the first row. */
export function printTable(title: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  const cell = (v: Row[string]) => (v === null ? '—' : typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c] ?? null).length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(cols));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c] ?? null))));
}

/** A command's output, or null when it cannot run here (no git checkout, no ffmpeg). */
function output(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** What a number was measured on: the code (uncommitted changes included or not) and the machine. */
function provenance() {
  const commit = output('git', ['rev-parse', 'HEAD']);
  return {
    git: { commit, dirty: commit === null ? null : output('git', ['status', '--porcelain', '--untracked-files=no']) !== '' },
    host: {
      cpu: cpus()[0]?.model ?? null,
      cores: availableParallelism(),
      memory_bytes: totalmem(),
      os: `${type()} ${release()} ${process.arch}`,
      node: process.version,
      ffmpeg: output('ffmpeg', ['-version'])?.split(' Copyright')[0] ?? null,
    },
  };
}

/**
 * Writes `.kino/bench/{name}-{timestamp}.json` and `{name}-latest.json`: `data`, the git
 * commit and host facts, and the settings: every BENCH_* variable the run was given (an
 * unset knob is the default in that commit's code) and `settings`, what the bench resolved.
 */
export async function writeBenchJson(name: string, data: object, settings: Record<string, unknown> = {}): Promise<string> {
  const dir = join(process.env['KINO_DATA_DIR'] ?? '.kino', 'bench');
  await mkdir(dir, { recursive: true });
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_')));
  const body = JSON.stringify({ name, at: new Date().toISOString(), ...provenance(), settings: { env, ...settings }, ...data }, null, 2);
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, body);
  await writeFile(join(dir, `${name}-latest.json`), body);
  return file;
}
