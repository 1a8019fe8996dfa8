// Step 2: system tools the code shells out to. Each tool maps to the Debian package that
// provides it, so one apt-get call installs everything missing.

import { say } from './log.mjs';
import { aptInstall, which } from './system.mjs';

const TOOLS = {
  ffmpeg: { binaries: ['ffmpeg', 'ffprobe'], package: 'ffmpeg' },
  // Browser tests drive Debian's chromium (/usr/bin/chromium); only installed on --need.
  chromium: { binaries: ['chromium'], package: 'chromium' },
  // A load generator that is not Node, for the benchmarks that count requests per second.
  wrk: { binaries: ['wrk'], package: 'wrk' },
};

export const OPTIONAL_TOOLS = ['chromium', 'wrk'];

export function ensureTools(names, { kinoDir, root, report }) {
  const missing = names.filter((name) => TOOLS[name].binaries.some((b) => !which(b)));
  for (const name of names.filter((n) => !missing.includes(n))) {
    say(`${TOOLS[name].binaries.join(', ')}: ${TOOLS[name].binaries.map(which).join(', ')}`);
  }
  if (missing.length === 0) return;

  const packages = missing.map((name) => TOOLS[name].package);
  const r = aptInstall(packages, { kinoDir, root });
  for (const name of missing) {
    const binaries = TOOLS[name].binaries;
    const stillMissing = binaries.filter((b) => !which(b));
    if (stillMissing.length === 0) say(`${binaries.join(', ')}: installed (${binaries.map(which).join(', ')})`);
    else
      report.cannot(`${stillMissing.join(', ')} not found`, r.fix ?? `apt-get install -y --no-install-recommends ${TOOLS[name].package}`);
  }
}
