// Fixes that register a new revision of a task definition (TD-01, TD-04, IAM-01) run as pasted:
// the definition without the fields register-task-definition refuses, changed by jq, registered,
// and the service moved to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { toChoose } from '../../support/fixes';
import { containersRaiseOpenFiles, fargateUsesAwsvpc } from '../../support/checks/hygiene';
import { executionRoleTrusted } from '../../support/checks/execution-role';
import type { Inventory, TaskDefinition } from '../../support/inventory/model';
import type { Workload } from '../../support/workloads';
import { account, ids, service } from '../helpers/accounts';
import { inputMembers, noJq, runFix } from '../helpers/run-fix';

/** What describe-task-definition --query taskDefinition prints: the fields register refuses included. */
function described(definition: TaskDefinition): Record<string, unknown> {
  return {
    taskDefinitionArn: definition.arn,
    family: definition.family,
    revision: definition.revision,
    status: 'ACTIVE',
    networkMode: definition.networkMode,
    requiresCompatibilities: definition.requiresCompatibilities,
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.ecr-auth' }],
    registeredAt: '2026-11-01T00:00:00Z',
    registeredBy: 'arn:aws:iam::123456789012:user/deployer',
    ...(definition.executionRoleArn ? { executionRoleArn: definition.executionRoleArn } : {}),
    containerDefinitions: definition.containers.map((c) => ({ name: c.name, image: c.image, essential: c.essential, ulimits: c.ulimits })),
    cpu: '256',
    memory: '512',
  };
}

/** Runs the fix and returns what register-task-definition was given, after checking the whole sequence. */
function registered(inv: Inventory, workload: Workload, cli: string): Record<string, unknown> & { containerDefinitions: { name: string; ulimits?: unknown[] }[] } {
  assert.doesNotMatch(cli, /<[^>\s]*>/, 'no <placeholder>');
  const definition = inv.taskDefinitions.get(workload.taskDefinitionArn)!;
  const run = runFix(cli, { 'ecs describe-task-definition': described(definition), 'ecs register-task-definition': `${definition.arn.replace(/:\d+$/, '')}:${definition.revision + 1}` });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(run.calls.map((c) => `${c.args[0]} ${c.args[1]}`), ['ecs describe-task-definition', 'ecs register-task-definition', 'ecs update-service']);
  const allowed = new Set(inputMembers(new RegisterTaskDefinitionCommand({ family: 'x', containerDefinitions: [] }) as never));
  const file = run.calls[1].file as Record<string, unknown> & { containerDefinitions: { name: string; ulimits?: unknown[] }[] };
  for (const key of Object.keys(file)) assert.ok(allowed.has(key), `register-task-definition does not take ${key}`);
  assert.deepEqual(run.calls[2].args.slice(2, 8), ['--cluster', workload.clusterName, '--service', workload.service!.name, '--task-definition', definition.family]);
  return file;
}

test('TD-04: the nofile ulimit is set on the container, other ulimits kept, and the service moved to the new revision', { skip: noJq }, async () => {
  const inv = await account('healthy');
  const workload = service(inv, ...ids.nestjs);
  inv.taskDefinitions.get(workload.taskDefinitionArn)!.containers[0].ulimits = [{ name: 'core', softLimit: 0, hardLimit: 0 }, { name: 'nofile', softLimit: 1024, hardLimit: 4096 }];
  const [finding] = containersRaiseOpenFiles(inv, workload, 65536);
  const file = registered(inv, workload, finding.fix.cli);
  assert.deepEqual(file.containerDefinitions[0].ulimits, [{ name: 'core', softLimit: 0, hardLimit: 0 }, { name: 'nofile', softLimit: 65536, hardLimit: 65536 }]);
});

test('TD-01: the network mode is set to awsvpc', { skip: noJq }, async () => {
  const inv = await account('healthy');
  const workload = service(inv, ...ids.nestjs);
  inv.taskDefinitions.get(workload.taskDefinitionArn)!.networkMode = 'bridge';
  const [finding] = fargateUsesAwsvpc(inv, workload);
  assert.equal(registered(inv, workload, finding.fix.cli).networkMode, 'awsvpc');
});

test('IAM-01: a definition without an execution role gets one', { skip: noJq }, async () => {
  const inv = await account('healthy');
  const workload = service(inv, ...ids.nestjs);
  inv.taskDefinitions.get(workload.taskDefinitionArn)!.executionRoleArn = undefined;
  const [finding] = await executionRoleTrusted(inv, workload);
  assert.equal(registered(inv, workload, finding.fix.cli).executionRoleArn, `arn:aws:iam::${inv.account}:role/ecsTaskExecutionRole`);
});

test('what only the reader can choose stops the pasted command, saying what to set; once set, it is used', () => {
  const cli = `echo aws ec2 associate-vpc-cidr-block --cidr-block "${toChoose('CIDR', 'a free range of your address plan')}"`;
  const unset = spawnSync('bash', ['-c', cli], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.notEqual(unset.status, 0);
  assert.match(unset.stderr, /CIDR: set CIDR to a free range of your address plan/);
  assert.equal(unset.stdout, '');
  const set = spawnSync('bash', ['-c', cli], { encoding: 'utf8', env: { PATH: process.env.PATH, CIDR: '10.80.0.0/16' } });
  assert.equal(set.stdout.trim(), 'aws ec2 associate-vpc-cidr-block --cidr-block 10.80.0.0/16');
});
