// The targets file of a run over several accounts and regions (docs/TARGETS.md): a JSON array of
// {name, region, roleArn?, externalId?, sessionName?, profile?}. Every problem is one line naming
// the file, the entry and the field.
import { readFileSync } from 'node:fs';
import type { LiveTarget } from './target';
import { UsageError } from './errors';
import { isRoleArn } from './util/arn';

const FIELDS = ['name', 'region', 'roleArn', 'externalId', 'sessionName', 'profile'] as const;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export function readTargets(file: string): LiveTarget[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`targets file ${file} cannot be read: check PREFLIGHT_TARGETS`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`targets file ${file} is not valid JSON (${(error as Error).message.split('\n')[0]}): see docs/TARGETS.md`);
  }
  if (!Array.isArray(data) || data.length === 0) {
    throw new UsageError(`targets file ${file} must be a non-empty JSON array of targets such as [{"name": "prod-seoul", "region": "ap-northeast-2"}]: see docs/TARGETS.md`);
  }
  const names = new Set<string>();
  return data.map((entry, i) => {
    const where = `targets file ${file}, entry ${i + 1}${typeof entry?.name === 'string' ? ` ("${entry.name}")` : ''}`;
    const fail = (problem: string): never => {
      throw new UsageError(`${where}: ${problem}`);
    };
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail('must be an object such as {"name": "prod-seoul", "region": "ap-northeast-2"}');
    for (const key of Object.keys(entry)) {
      if (!(FIELDS as readonly string[]).includes(key)) fail(`unknown field "${key}" (fields: ${FIELDS.join(', ')})`);
      if (typeof entry[key] !== 'string') fail(`"${key}" must be a string`);
    }
    const t = entry as Partial<Record<(typeof FIELDS)[number], string>>;
    if (!t.name || !NAME.test(t.name)) fail('"name" is required: letters, digits, ".", "_" or "-" (it names the report folder)');
    if (names.has(t.name!)) fail(`"name" "${t.name}" is used twice: each target needs its own`);
    names.add(t.name!);
    if (!t.region || !REGION.test(t.region)) fail('"region" is required: an AWS region such as "ap-northeast-2"');
    if (t.roleArn !== undefined && !isRoleArn(t.roleArn)) fail('"roleArn" must be an IAM role ARN such as "arn:aws:iam::123456789012:role/ecs-preflight-readonly"');
    if (t.externalId !== undefined && !t.roleArn) fail('"externalId" needs "roleArn"');
    if (t.externalId !== undefined && !EXTERNAL_ID.test(t.externalId)) fail('"externalId" must be 2 to 1224 characters: letters, digits and +=,.@:/-');
    if (t.sessionName !== undefined && !t.roleArn) fail('"sessionName" needs "roleArn"');
    if (t.sessionName !== undefined && !SESSION_NAME.test(t.sessionName)) fail('"sessionName" must be 2 to 64 characters: letters, digits and +=,.@_-');
    if (t.profile !== undefined && !t.profile.trim()) fail('"profile" must not be empty');
    return { mode: 'live' as const, ...t, name: t.name!, region: t.region! };
  });
}
