// Answers that can never change, kept on disk across runs: a task definition revision is
// immutable, so a nightly run needs DescribeTaskDefinition only for the revisions registered since
// the night before. Nothing mutable is ever kept: a family name without a revision ("app", or a
// schedule's "app" meaning its latest), tags and the revision's status are left out. Plain
// environment values are redacted, as in a recorded snapshot: the checks never read them.
//
// The folder is PREFLIGHT_CACHE_DIR, or `.cache/` beside the reports folder. Deleting it is always
// safe: the next run reads what it needs again.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InputOf, OperationName, OutputOf } from './operations';
import { redactEnvironmentValues } from './record';

/** A revision's ARN: arn:<partition>:ecs:<region>:<account>:task-definition/<family>:<revision>. */
const REVISION_ARN = /^arn:[a-z-]+:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+:\d+$/;

/** Fields of a revision that change after it is registered (deregistration, deletion). */
const MUTABLE_FIELDS = ['status', 'deregisteredAt', 'deleteRequestedAt'] as const;

/** Bumped whenever what is kept changes shape: older entries are then simply not found. */
const LAYOUT = 'v1';

export class ImmutableAnswers {
  readonly dir: string;
  hits = 0;

  constructor(dir: string) {
    this.dir = path.join(dir, LAYOUT, 'ecs-task-definitions');
  }

  /** The ARN an answer may be kept under, or undefined when the answer could change. */
  private keyOf(operation: OperationName, input: unknown): string | undefined {
    if (operation !== 'ecs:DescribeTaskDefinition') return undefined;
    const { taskDefinition, include, ...rest } = (input ?? {}) as InputOf<'ecs:DescribeTaskDefinition'>;
    if (include?.length || Object.keys(rest).length || !taskDefinition || !REVISION_ARN.test(taskDefinition)) return undefined;
    return taskDefinition;
  }

  private fileOf(arn: string): string {
    return path.join(this.dir, `${createHash('sha256').update(arn).digest('hex').slice(0, 40)}.json`);
  }

  get<K extends OperationName>(operation: K, input: InputOf<K>): OutputOf<K> | undefined {
    const arn = this.keyOf(operation, input);
    if (!arn) return undefined;
    try {
      const entry = JSON.parse(readFileSync(this.fileOf(arn), 'utf8')) as { arn?: string; output?: OutputOf<'ecs:DescribeTaskDefinition'> };
      // A damaged or foreign file is read again from AWS, never trusted.
      if (entry.arn !== arn || entry.output?.taskDefinition?.taskDefinitionArn !== arn) return undefined;
      this.hits++;
      return entry.output as OutputOf<K>;
    } catch {
      return undefined;
    }
  }

  put<K extends OperationName>(operation: K, input: InputOf<K>, output: OutputOf<K>): void {
    const arn = this.keyOf(operation, input);
    const definition = (output as OutputOf<'ecs:DescribeTaskDefinition'>).taskDefinition;
    if (!arn || definition?.taskDefinitionArn !== arn) return;
    // Plain environment values can be secrets in practice: never on disk (as in a recording).
    const kept = redactEnvironmentValues({ ...definition });
    for (const field of MUTABLE_FIELDS) delete kept[field];
    const file = this.fileOf(arn);
    try {
      mkdirSync(this.dir, { recursive: true });
      // Written whole, then renamed: parallel runs never read half a file.
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ arn, output: { taskDefinition: kept } }));
      renameSync(temporary, file);
    } catch {
      // A read-only or full disk costs the next run some calls, nothing else.
    }
  }
}

/** The cache folder of a run: PREFLIGHT_CACHE_DIR, else `.cache` beside the reports folder. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PREFLIGHT_CACHE_DIR) return path.resolve(env.PREFLIGHT_CACHE_DIR);
  return path.join(path.dirname(path.resolve(env.PREFLIGHT_REPORTS_DIR || 'reports')), '.cache');
}
