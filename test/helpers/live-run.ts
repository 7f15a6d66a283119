// Runs the suite's commands as a user runs them, as child processes pointed at the local AWS
// (aws-wire-server.ts) and at nothing else: AWS_ENDPOINT_URL, static test credentials, no
// profile, no config files, no instance metadata. The parent's event loop keeps serving the
// local AWS while a child runs (spawn, never spawnSync).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

/**
 * The command line of an npm script (package.json), as `npm run <name> -- <args>` runs it, without
 * npm itself: `node --require ./support/register-ts.js bin/explain.ts` for `explain`. The tests run
 * what users run, without paying npm's own start-up for each run.
 */
export function npmScript(name: string, args: string[] = []): [string, string[]] {
  const script: string | undefined = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts[name];
  if (!script || /["'`$&|;<>\\]/.test(script)) throw new Error(`npm script "${name}" is missing or is more than a plain command line: ${script}`);
  const [command, ...rest] = script.split(/\s+/);
  return [command, [...rest, ...args]];
}

/** The credentials the tests give the SDK: no report or log may carry them. */
export const TEST_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAWIRETESTKEY00001',
  AWS_SECRET_ACCESS_KEY: 'wire/Test+Secret/Key0000000000000000000001',
  AWS_SESSION_TOKEN: 'WireTestSessionToken//////////0000000000000000000001',
};

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `preflight-${prefix}-`));
}

/** A clean environment: nothing of the caller's AWS or PREFLIGHT settings, only what the test gives; reports go to a temporary folder unless it says where. */
export function cleanEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const scratch = tempDir('aws-home');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('PREFLIGHT_')));
  const out: NodeJS.ProcessEnv = {
    ...clean,
    PATH: `${BIN}:${process.env.PATH}`,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(scratch, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'no-credentials'),
    NO_COLOR: '1',
    PREFLIGHT_REPORTS_DIR: tempDir('reports'),
    // A cache of its own per run: two tests may serve the same revision ARN with other contents.
    PREFLIGHT_CACHE_DIR: tempDir('cache'),
  };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Runs a command of the project (an npm script's command line, or `cucumber-js …`) and waits for it, never longer than `timeoutMs`. */
export function run(command: string, args: string[], env: Record<string, string | undefined>, timeoutMs = 45_000): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(path.join(BIN, command), args, { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** `npx cucumber-js --profile live`: the features run by Cucumber itself against the live account. */
export function cucumberLive(args: string[], env: Record<string, string | undefined>, timeoutMs?: number): Promise<RunResult> {
  return run('cucumber-js', ['--profile', 'live', ...args], env, timeoutMs);
}

/** `npm run check:live -- <args>` */
export function checkLive(args: string[], env: Record<string, string | undefined>, timeoutMs?: number): Promise<RunResult> {
  return run(...npmScript('check:live', args), env, timeoutMs);
}

/** `npm run snapshot -- <args>` */
export function snapshot(args: string[], env: Record<string, string | undefined>): Promise<RunResult> {
  return run(...npmScript('snapshot', args), env);
}

/** `npm run check` with PREFLIGHT_ACCOUNT=<snapshot file> */
export function checkReplay(file: string, args: string[]): Promise<RunResult> {
  return run('cucumber-js', args, { PREFLIGHT_ACCOUNT: file });
}

/** The live environment for a local AWS at `url`. */
export function liveEnv(url: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { AWS_ENDPOINT_URL: url, AWS_REGION: 'ap-northeast-2', ...TEST_CREDENTIALS, ...extra };
}

export interface Verdict {
  status: string;
  message?: string;
}

/** Each scenario's verdict from a Cucumber message stream (`--format message:<file>`), keyed by feature file and name. */
export function verdicts(ndjsonFile: string): Map<string, Verdict> {
  if (!existsSync(ndjsonFile)) throw new Error(`${ndjsonFile} was not written`);
  const pickles = new Map<string, string>();
  const cases = new Map<string, string>();
  const started = new Map<string, string>();
  const out = new Map<string, Verdict>();
  const ranks = new Map<string, number>();
  for (const line of readFileSync(ndjsonFile, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line);
    if (e.pickle) {
      // AST node IDs change from run to run: a scenario is its file, its name and its rank among its namesakes.
      const base = `${e.pickle.uri} ${e.pickle.name}`;
      const rank = (ranks.get(base) ?? 0) + 1;
      ranks.set(base, rank);
      pickles.set(e.pickle.id, rank === 1 ? base : `${base} #${rank}`);
    }
    if (e.testCase) cases.set(e.testCase.id, pickles.get(e.testCase.pickleId)!);
    if (e.testCaseStarted) {
      started.set(e.testCaseStarted.id, cases.get(e.testCaseStarted.testCaseId)!);
      out.set(cases.get(e.testCaseStarted.testCaseId)!, { status: 'PASSED' });
    }
    const finished = e.testStepFinished;
    if (finished && finished.testStepResult.status !== 'PASSED') {
      const verdict = out.get(started.get(finished.testCaseStartedId)!)!;
      if (verdict.status === 'PASSED') out.set(started.get(finished.testCaseStartedId)!, { status: finished.testStepResult.status, message: finished.testStepResult.message });
    }
  }
  return out;
}

/** The one line a failed run must end with: exactly one line on stderr, no stack trace. */
export function oneLine(result: RunResult): string {
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 1 || /\n\s+at /.test(result.stderr)) throw new Error(`expected one line on stderr, got:\n${result.stderr}\nstdout:\n${result.stdout.slice(-2000)}`);
  return lines[0];
}
