// TD-01, TD-04, DEP-01 and OBS-01, each passing and failing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containersRaiseOpenFiles, deploymentRollsBack, fargateUsesAwsvpc, vpcHasFlowLogs } from '../../support/checks/hygiene';
import { account, ids, service } from '../helpers/accounts';

test('TD-01 passes for awsvpc and fails naming the task definition for bridge on Fargate', async () => {
  const inv = await account('healthy');
  const workload = service(inv, ...ids.nestjs);
  assert.deepEqual(fargateUsesAwsvpc(inv, workload), []);
  inv.taskDefinitions.get(workload.taskDefinitionArn)!.networkMode = 'bridge';
  const [finding] = fargateUsesAwsvpc(inv, workload);
  assert.deepEqual(finding.resourceIds, [workload.taskDefinitionArn]);
  assert.match(finding.problem, /role-nestjs-second:12 runs on Fargate with networkMode bridge/);
});

test('TD-04 fails for a container without a nofile ulimit and passes with 65536', async () => {
  const inv = await account('healthy');
  const workload = service(inv, ...ids.nestjs);
  const [finding] = containersRaiseOpenFiles(inv, workload, 65536);
  assert.deepEqual(finding.resourceIds, [workload.taskDefinitionArn, 'nestjs-second']);
  assert.match(finding.fix.cli, /\[\{"name": "nofile", "softLimit": 65536, "hardLimit": 65536\}\]/);
  inv.taskDefinitions.get(workload.taskDefinitionArn)!.containers[0].ulimits = [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }];
  assert.deepEqual(containersRaiseOpenFiles(inv, workload, 65536), []);
  inv.taskDefinitions.get(workload.taskDefinitionArn)!.containers[0].ulimits = [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }];
  assert.match(containersRaiseOpenFiles(inv, workload, 65536)[0].problem, /sets nofile to 1024\/4096, below 65536/);
});

test('DEP-01 fails for a service without the circuit breaker and passes with rollback on', async () => {
  const inv = await account('demo');
  const [finding] = deploymentRollsBack(inv, service(inv, ...ids.nestjs));
  assert.match(finding.problem, /cluster-nestjs-second\/role-nestjs-second-service has no deployment circuit breaker/);
  assert.match(finding.fix.cli, /deploymentCircuitBreaker=\{enable=true,rollback=true\}/);
  assert.deepEqual(deploymentRollsBack(inv, service(inv, ...ids.worker)), []);
  const worker = service(inv, ...ids.worker).service!;
  worker.deployment = { ...worker.deployment, maximumPercent: 100, minimumHealthyPercent: 100 };
  assert.match(deploymentRollsBack(inv, service(inv, ...ids.worker))[0].problem, /can neither add a task nor stop one/);
});

test('OBS-01 fails without an active flow log on the VPC and passes with one', async () => {
  const inv = await account('demo');
  inv.flowLogs = [];
  const [finding] = vpcHasFlowLogs(inv, service(inv, ...ids.nestjs));
  assert.deepEqual(finding.resourceIds, [ids.vpc]);
  assert.match(finding.fix.cli, new RegExp(`create-flow-logs --resource-type VPC --resource-ids ${ids.vpc}`));
  inv.flowLogs = [{ id: 'fl-0a1b2c3d4e5f60718', resourceId: ids.vpc, trafficType: 'ALL', status: 'ACTIVE' }];
  assert.deepEqual(vpcHasFlowLogs(inv, service(inv, ...ids.nestjs)), []);
});
