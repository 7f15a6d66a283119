// NET-04: failing on net04 (a /27 subnet two services deploy into), passing on its /24 twin, and
// the edge cases: maximumPercent 100, desired count 0, a subnet shared by two services, blue/green
// and daemon services, scheduled tasks, a bridge workload, an unknown free count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentPeak, freeBlock, NET_04, subnetsHaveRoomForDeployment } from '../../support/checks/addresses';
import { applicableWorkloads } from '../../support/checks/applicability';
import type { Inventory } from '../../support/inventory/model';
import { selectWorkloads } from '../../support/workloads';
import { account, service } from '../helpers/accounts';

const A = 'subnet-0c4e9a2f7d13b6085';
const B = 'subnet-09f2b7d5e1a84c36d';
const api = (inv: Inventory) => service(inv, 'checkout', 'checkout-api');
const worker = (inv: Inventory) => service(inv, 'checkout', 'checkout-worker');

test('NET-04 fails on net04: the 1a /27 has 8 free addresses, checkout-api needs 6 more there and checkout-worker 10', async () => {
  const inv = await account('net04');
  assert.equal(inv.subnets.get(A)!.availableIpAddressCount, 8, '27 usable − 3 endpoint ENIs − 16 tasks');
  assert.equal(inv.subnets.get(B)!.availableIpAddressCount, 18, '27 usable − 3 endpoint ENIs − 6 tasks');

  const [forApi, ...moreApi] = subnetsHaveRoomForDeployment(inv, api(inv));
  assert.equal(moreApi.length, 0, 'the 1b subnet has room for checkout-api');
  assert.equal(forApi.kind, 'resilience');
  assert.deepEqual(forApi.resourceIds, [A, api(inv).arn]);
  assert.match(forApi.problem, /^today's tasks hold their addresses, but a deployment of checkout\/checkout-api starts up to 6 new tasks in subnet-0c4e9a2f7d13b6085 \(us-east-1a\), which has 8 free addresses \(enough for it alone\); checkout\/checkout-worker \(10\) places tasks there too, and if it deploys at the same time the subnet needs 16$/);
  assert.match(forApi.expected, /at least 16 free addresses in subnet-0c4e9a2f7d13b6085: checkout\/checkout-api 6 \(12 at the peak, 6 running there now\); checkout\/checkout-worker 10 \(20 at the peak, 10 running there now\); desired count 12 × maximumPercent 200 \/ 100 = 24 tasks at once/);
  assert.match(forApi.impact, /InsufficientFreeAddressesInSubnet/);
  // checkout-api already uses both zones, and no lower maximumPercent fits in what checkout-worker leaves: a larger subnet, with the 1a table.
  assert.doesNotMatch(forApi.fix.cli, /maximumPercent=/);
  assert.match(forApi.fix.cli, /^NEW=\$\(aws ec2 create-subnet --vpc-id vpc-0b7d2e94c1a35f068 --availability-zone us-east-1a --cidr-block 10\.64\.0\.64\/26 .*aws ec2 associate-route-table --route-table-id rtb-0a93e5d17c4b2f806 --subnet-id "\$NEW" .*subnets=\[\$NEW,subnet-09f2b7d5e1a84c36d\],securityGroups=\[sg-0a6d3f9c27e15b84d\]/);
  assert.match(forApi.fix.console, /a subnet cannot be resized/);

  const [forWorker, ...moreWorker] = subnetsHaveRoomForDeployment(inv, worker(inv));
  assert.equal(moreWorker.length, 0);
  assert.match(forWorker.problem, /a deployment of checkout\/checkout-worker starts up to 10 new tasks in subnet-0c4e9a2f7d13b6085 \(us-east-1a\), which has 8 free addresses; checkout\/checkout-api \(6\) places tasks there too/);
  assert.doesNotMatch(forWorker.problem, /enough for it alone/);
  // Three ways out, the other zone first (keeping its subnet and group), then maximumPercent 120 (12 tasks: 2 new beside the 10), then a larger subnet.
  const [spread, lower, larger] = forWorker.fix.cli.split('  # or: ');
  assert.equal(spread, `aws ecs update-service --cluster checkout --service checkout-worker --network-configuration "awsvpcConfiguration={subnets=[${A},${B}],securityGroups=[sg-0a6d3f9c27e15b84d],assignPublicIp=DISABLED}" --region us-east-1`);
  // The whole configuration, as it is but for maximumPercent: the circuit breaker is not reset.
  assert.equal(
    lower,
    'aws ecs update-service --cluster checkout --service checkout-worker --deployment-configuration "maximumPercent=120,minimumHealthyPercent=100,deploymentCircuitBreaker={enable=true,rollback=true}" --region us-east-1',
  );
  assert.match(larger, /create-subnet .*--cidr-block 10\.64\.0\.64\/26/);
  assert.match(forWorker.fix.console, /^\(1\) ECS → Clusters → checkout → Services → checkout-worker → Update service → Networking → add subnet-09f2b7d5e1a84c36d \(us-east-1b\).*; or \(2\) .*Max running tasks % 120; or \(3\) VPC → Subnets → Create subnet/);
});

test('NET-04 passes on net04-healthy: the same services on /24 subnets', async () => {
  const inv = await account('net04-healthy');
  assert.equal(inv.subnets.get(A)!.availableIpAddressCount, 232);
  assert.deepEqual(subnetsHaveRoomForDeployment(inv, api(inv)), []);
  assert.deepEqual(subnetsHaveRoomForDeployment(inv, worker(inv)), []);
});

test('NET-04 with maximumPercent 100: a deployment stops a task before it starts one, so it needs no address the tasks do not hold', async () => {
  const inv = await account('net04');
  for (const w of [api(inv), worker(inv)]) w.service!.deployment.maximumPercent = 100;
  assert.deepEqual(deploymentPeak(api(inv)), { tasks: 12, basis: 'desired count 12 × maximumPercent 100 / 100 = 12 tasks at once' });
  assert.deepEqual(subnetsHaveRoomForDeployment(inv, api(inv)), []);
  assert.deepEqual(subnetsHaveRoomForDeployment(inv, worker(inv)), []);
});

test('NET-04 on a subnet shared by two services: checkout-api fits alone, and passes once checkout-worker is scaled to 0', async () => {
  const inv = await account('net04');
  worker(inv).service!.desiredCount = 0;
  assert.equal(deploymentPeak(worker(inv)), undefined, 'desired count 0: nothing to deploy');
  assert.deepEqual(subnetsHaveRoomForDeployment(inv, worker(inv)), []);
  assert.deepEqual(subnetsHaveRoomForDeployment(inv, api(inv)), [], '6 new tasks fit in 8 free addresses');
});

test('NET-04 counts the workloads outside the scope: a scenario about checkout-api alone still sees checkout-worker', async () => {
  const inv = await account('net04');
  const [scoped] = selectWorkloads(inv, { kind: 'service', cluster: 'checkout', service: 'checkout-api' });
  assert.match(subnetsHaveRoomForDeployment(inv, scoped)[0].problem, /checkout\/checkout-worker \(10\) places tasks there too/);
});

test('NET-04 for blue/green deployments: a whole replacement task set whatever maximumPercent says, and no maximumPercent fix', async () => {
  const inv = await account('net04-healthy');
  const w = worker(inv);
  w.service!.deploymentController = 'CODE_DEPLOY';
  w.service!.deployment.maximumPercent = 100;
  inv.subnets.get(A)!.availableIpAddressCount = 15;
  const peak = deploymentPeak(w)!;
  assert.equal(peak.tasks, 20);
  assert.match(peak.basis, /CodeDeploy blue\/green deployment runs a replacement task set beside the original: 2 × desired count 10/);
  const [finding] = subnetsHaveRoomForDeployment(inv, w);
  assert.match(finding.problem, /starts up to 10 new tasks in subnet-0c4e9a2f7d13b6085 \(us-east-1a\), which has 15 free addresses/);
  assert.doesNotMatch(finding.fix.cli, /maximumPercent/);
  assert.match(finding.fix.cli, new RegExp(`subnets=\\[${A},${B}\\]`));
});

test('NET-04 for ECS blue/green and external controllers: twice the desired count; daemons replace in place', async () => {
  const inv = await account('net04');
  const w = api(inv);
  w.service!.deployment.strategy = 'BLUE_GREEN';
  assert.equal(deploymentPeak(w)!.tasks, 24);
  w.service!.deployment.strategy = undefined;
  w.service!.deploymentController = 'EXTERNAL';
  assert.match(deploymentPeak(w)!.basis, /external deployment that scales its new task set to 100%/);
  w.service!.deploymentController = 'ECS';
  w.service!.schedulingStrategy = 'DAEMON';
  assert.equal(deploymentPeak(w), undefined);
});

test('NET-04 for a scheduled task: each run starts TaskCount new tasks, spread over its subnets; a disabled rule starts none', async () => {
  const inv = await account('004');
  const rule = inv.scheduledTasks.find((t) => t.name === 'cherry-review-mailer')!;
  rule.taskCount = 300;
  const [w] = selectWorkloads(inv, { kind: 'scheduled task', name: 'cherry-review-mailer' });
  const [finding] = subnetsHaveRoomForDeployment(inv, w);
  assert.match(finding.problem, /^a run of rule\/cherry-review-mailer starts 300 tasks in subnet-0a54f9e9524536f7f \(ap-northeast-2c\), which has 248 free addresses$/);
  assert.match(finding.expected, /each run starts 300 new tasks \(TaskCount 300\)/);
  assert.match(finding.fix.cli, /put-targets with EcsParameters\.TaskCount=248/);
  rule.state = 'DISABLED';
  assert.equal(deploymentPeak(w), undefined);
});

test('NET-04 on a subnet a service shares with a schedule: each names the other, and what it needs', async () => {
  const inv = await account('004-healthy');
  const SHARED = 'subnet-0eeb05ea6f4af428e';
  inv.subnets.get(SHARED)!.availableIpAddressCount = 1;
  const [forService] = subnetsHaveRoomForDeployment(inv, service(inv, 'cherry-cluster', 'cherry-api'));
  assert.match(forService.problem, /cherry-api starts up to 1 new task in subnet-0eeb05ea6f4af428e \(ap-northeast-2a\), which has 1 free address \(enough for it alone\); schedule\/default\/cherry-nightly-report \(1\) places tasks there too, and if it runs at the same time the subnet needs 2$/);
  assert.match(forService.expected, /schedule\/default\/cherry-nightly-report 1 \(1 per run\)/);
  const [schedule] = selectWorkloads(inv, { kind: 'scheduled task', name: 'cherry-nightly-report' });
  const [forSchedule] = subnetsHaveRoomForDeployment(inv, schedule);
  assert.match(forSchedule.problem, /^a run of schedule\/default\/cherry-nightly-report starts 1 task in subnet-0eeb05ea6f4af428e .*cherry-cluster\/cherry-api \(1\) places tasks there too, and if it deploys at the same time/);
  // A larger subnet for the schedule: its command is completed by hand, so it names the subnets.
  assert.match(forSchedule.fix.cli, /create-subnet --vpc-id vpc-0e4b60938ae7f2975 --availability-zone ap-northeast-2a --cidr-block 10\.30\.4\.0\/23 .*aws scheduler get-schedule --name cherry-nightly-report --group-name default .* \(subnets \$NEW\)$/);
  inv.subnets.get(SHARED)!.availableIpAddressCount = 2;
  assert.deepEqual(subnetsHaveRoomForDeployment(inv, schedule), []);
});

test('NET-04 does not apply to a bridge-mode service: its tasks take no subnet address (noted once)', async () => {
  const inv = await account('ref-bridge');
  const { applicable, notes } = applicableWorkloads(inv, selectWorkloads(inv, { kind: 'account' }), NET_04);
  assert.deepEqual(applicable.map((w) => w.id), ['shop/storefront']);
  assert.deepEqual(notes, ['NET-04 does not apply to shop/legacy-renderer (bridge mode): without awsvpc their tasks use their container instance\'s network, not task subnets']);
});

test('NET-04 with no AvailableIpAddressCount for a subnet says it could not be evaluated, never passes', async () => {
  const inv = await account('net04-healthy');
  inv.subnets.get(A)!.availableIpAddressCount = undefined;
  const [finding] = subnetsHaveRoomForDeployment(inv, worker(inv));
  assert.match(finding.notEvaluated!, /ec2:DescribeSubnets returned no AvailableIpAddressCount for subnet-0c4e9a2f7d13b6085/);
});

test('a free block of the VPC for a larger subnet skips every existing subnet', () => {
  assert.equal(freeBlock('10.64.0.0/16', 26, ['10.64.0.0/27', '10.64.0.32/27']), '10.64.0.64/26');
  assert.equal(freeBlock('10.64.0.0/16', 24, ['10.64.0.0/24', '10.64.1.0/24']), '10.64.2.0/24');
  assert.equal(freeBlock('10.64.0.0/16', 20, ['10.64.0.0/24', '10.64.32.0/20']), '10.64.16.0/20');
  assert.equal(freeBlock('10.64.0.0/24', 25, ['10.64.0.0/25', '10.64.0.128/25']), undefined);
  assert.equal(freeBlock('10.64.0.0/24', 23, []), undefined, 'larger than the VPC block');
});
