// Runs a finding's CLI fix as a user would paste it: in bash, in a fresh folder, with a stand-in
// `aws` on PATH that records each call (its arguments, and the files it is given) and answers the
// reads the fix makes. jq is real.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NormalizedSchema } from '@smithy/core/schema';

/** The members an SDK command's input may have. */
export function inputMembers(command: { schema: unknown[] }): string[] {
  return [...NormalizedSchema.of(command.schema[4] as never).structIterator()].map(([name]) => name);
}

/**
 * Runs one fix line in bash, in a fresh folder, with a stand-in `aws` that records each call (its
 * arguments, and the files it is given) and answers the reads the fixes make.
 */
export function runFix(cli: string, answers: Record<string, unknown>): { status: number | null; stderr: string; calls: { args: string[]; file?: unknown }[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-fix-'));
  writeFileSync(path.join(dir, 'answers.json'), JSON.stringify(answers));
  const aws = path.join(dir, 'bin', 'aws');
  spawnSync('mkdir', [path.dirname(aws)]);
  writeFileSync(
    aws,
    `#!/usr/bin/env node
const fs = require('fs');
const args = process.argv.slice(2);
const answers = JSON.parse(fs.readFileSync(${JSON.stringify(path.join(dir, 'answers.json'))}, 'utf8'));
const fileArg = args.find((a) => a.startsWith('file://'));
const file = fileArg ? JSON.parse(fs.readFileSync(fileArg.slice('file://'.length), 'utf8')) : undefined;
fs.appendFileSync(${JSON.stringify(path.join(dir, 'calls.jsonl'))}, JSON.stringify({ args, file }) + '\\n');
const answer = answers[args[0] + ' ' + args[1]];
if (answer === undefined) process.exit(0);
process.stdout.write(typeof answer === 'string' ? answer + '\\n' : JSON.stringify(answer));
`,
  );
  chmodSync(aws, 0o755);
  const run = spawnSync('bash', ['-c', cli], { cwd: dir, env: { ...process.env, PATH: `${path.dirname(aws)}:${process.env.PATH}` }, encoding: 'utf8' });
  const log = path.join(dir, 'calls.jsonl');
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { args: string[]; file?: unknown }) : [];
  return { status: run.status, stderr: run.stderr, calls };
}

const sh = spawnSync('bash', ['-c', 'command -v jq'], { encoding: 'utf8' });
export const noJq = sh.status === 0 ? false : 'jq is not installed here (apt-get install jq): the fixes pipe through it';

