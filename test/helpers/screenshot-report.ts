// Looks at the HTML report as a person would: opens it in headless Chromium and saves a
// screenshot. With --open, every folded section (the network pictures) is opened first, as a
// reader would click them; --query and --hide use the report's own search and status filter.
//
//   npm run report:screenshot -- /tmp/report.png --hide passed --open
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const args = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.match(/^--(report|query|hide|size)$/));
const out = path.resolve(args[0] ?? 'reports/cucumber.png');
const report = path.resolve(option('report') ?? 'reports/cucumber.html');
const [width, height] = (option('size') ?? '1400,3000').split(',');

// Chromium's profile and the opened copy of the report: removed when the command ends, whatever happens.
const scratch = mkdtempSync(path.join(tmpdir(), 'preflight-shot-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

let page = report;
if (process.argv.includes('--open')) {
  // A copy of the report that opens every <details> once the page has rendered them.
  page = path.join(scratch, 'report.html');
  const opener = '<script>setInterval(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }), 100);</script>';
  writeFileSync(page, readFileSync(report, 'utf8').replace(/<\/body>\s*<\/html>\s*$/, `${opener}</body></html>`));
}
const search = new URLSearchParams();
if (option('query')) search.set('query', option('query')!);
if (option('hide')) search.set('hide', option('hide')!);
const url = `file://${page}${search.size ? `?${search}` : ''}`;

if (!existsSync(report)) {
  process.stderr.write(`no report at ${report}: run npm run check first (or name one with --report)\n`);
  process.exit(2);
}
mkdirSync(path.dirname(out), { recursive: true });

const chromium = spawnSync(
  process.env.CHROMIUM ?? 'chromium',
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${path.join(scratch, 'chromium')}`,
    '--virtual-time-budget=10000',
    `--window-size=${width},${height}`,
    `--screenshot=${out}`,
    url,
  ],
  { encoding: 'utf8' },
);
if (chromium.status !== 0) {
  process.stderr.write(`chromium failed (${chromium.error?.message ?? `exit ${chromium.status}`}): ${chromium.stderr.split('\n').slice(-3).join(' ')}\n`);
  process.exit(1);
}
// Chromium exits 0 even when it could not write the picture: say so rather than point at nothing.
if (!existsSync(out)) {
  process.stderr.write(`chromium wrote no screenshot to ${out}: ${chromium.stderr.split('\n').slice(-3).join(' ')}\n`);
  process.exit(1);
}
process.stdout.write(`${url}\n  -> ${out}\n`);
