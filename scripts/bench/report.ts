import { mkdir, writeFile } from 'node:fs/promises';
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

/** Writes `.kino/bench/{name}-{timestamp}.json` and `{name}-latest.json`. */
export async function writeBenchJson(name: string, data: unknown): Promise<string> {
  const dir = join(process.env['KINO_DATA_DIR'] ?? '.kino', 'bench');
  await mkdir(dir, { recursive: true });
  const body = JSON.stringify({ name, at: new Date().toISOString(), ...(data as object) }, null, 2);
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, body);
  await writeFile(join(dir, `${name}-latest.json`), body);
  return file;
}
