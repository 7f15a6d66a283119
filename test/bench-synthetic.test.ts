// The benchmark's synthetic accounts (bench/synthetic.ts): deterministic, in the loader's format,
// and read with calls that grow with pages and batches, never with scenarios. `npm run bench`
// measures speed; this only checks the accounts it measures on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticAccount, shapeOf } from '../bench/synthetic';
import { AwsGateway } from '../support/aws/gateway';
import type { Snapshot } from '../support/aws/snapshot';
import { loadInventory } from '../support/inventory/load';
import type { Inventory } from '../support/inventory/model';

const ceil = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

// Small pages, so a small account pages like a large one does.
const pageSizes = {
  'ec2:DescribeSubnets': 20,
  'ec2:DescribeRouteTables': 15,
  'ec2:DescribeSecurityGroups': 25,
  'ecs:ListServices': 30,
  'ecs:ListTasks': 40,
  'iam:GetAccountAuthorizationDetails': 50,
} as const;

async function load(services: number): Promise<{ inventory: Inventory; calls: Map<string, number>; file: ReturnType<typeof syntheticAccount> }> {
  const file = syntheticAccount({ services, seed: 3, pageSizes });
  const gateway = AwsGateway.replay(file as unknown as Snapshot, `synthetic-${services}`);
  const inventory = await loadInventory(gateway);
  return { inventory, calls: gateway.calls, file };
}

test('the same seed and size draw the same account, byte for byte; another seed another one', () => {
  const a = JSON.stringify(syntheticAccount({ services: 40, seed: 11 }));
  const b = JSON.stringify(syntheticAccount({ services: 40, seed: 11 }));
  const c = JSON.stringify(syntheticAccount({ services: 40, seed: 12 }));
  assert.equal(a, b);
  assert.notEqual(a, c);
});

test('a synthetic account loads through the loader: one paginated sequence per list, per-item calls in their batches', async () => {
  const services = 70;
  const { inventory, calls, file } = await load(services);
  const shape = shapeOf(services);
  assert.equal(inventory.services.length, services);
  assert.equal(inventory.clusters.length, shape.clusters);
  assert.equal(inventory.vpcs.size, shape.vpcs + 1, 'the VPCs and the default VPC');
  assert.ok(inventory.tasks.length > services, 'services run about two tasks each');

  const count = (op: string) => calls.get(op) ?? 0;
  // One paginated sequence per resource type: its pages, however many there are.
  assert.equal(count('ec2:DescribeSubnets'), ceil(inventory.subnets.size, pageSizes['ec2:DescribeSubnets']));
  assert.ok(count('ec2:DescribeSubnets') > 1, 'subnets come in several pages');
  assert.equal(count('ec2:DescribeRouteTables'), ceil(inventory.routeTables.length, pageSizes['ec2:DescribeRouteTables']));
  assert.equal(count('ec2:DescribeSecurityGroups'), ceil(inventory.securityGroups.size, pageSizes['ec2:DescribeSecurityGroups']));
  const iamItems = inventory.roles.size + [...inventory.managedPolicies.keys()].filter((arn) => !arn.startsWith('arn:aws:iam::aws:')).length;
  assert.equal(count('iam:GetAccountAuthorizationDetails'), ceil(iamItems, pageSizes['iam:GetAccountAuthorizationDetails']));
  for (const op of ['ec2:DescribeVpcs', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeNetworkAcls', 'ec2:DescribeNatGateways', 'ec2:DescribeInternetGateways', 'ecs:ListClusters', 'ecs:DescribeClusters', 'sts:GetCallerIdentity']) {
    assert.equal(count(op), 1, op);
  }

  // ECS: per cluster, its lists' pages, DescribeServices per 10 services and DescribeTasks per 100 tasks.
  const byCluster = (items: { clusterArn: string }[]) => inventory.clusters.map((c) => items.filter((i) => i.clusterArn === c.arn).length);
  const servicesPerCluster = byCluster(inventory.services);
  const tasksPerCluster = byCluster(inventory.tasks);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  assert.equal(count('ecs:ListServices'), sum(servicesPerCluster.map((n) => ceil(n, pageSizes['ecs:ListServices']))));
  // The running tasks' pages, and per cluster one (empty) page of stopped tasks (EVD-01).
  assert.equal(count('ecs:ListTasks'), sum(tasksPerCluster.map((n) => ceil(n, pageSizes['ecs:ListTasks']))) + inventory.clusters.length);
  assert.equal(count('ecs:DescribeServices'), sum(servicesPerCluster.map((n) => Math.ceil(n / 10))));
  assert.equal(count('ecs:DescribeTasks'), sum(tasksPerCluster.map((n) => Math.ceil(n / 100))));

  // Per item only where the API has no batch form: a definition, a VPC attribute, an AWS-managed policy.
  assert.equal(count('ecs:DescribeTaskDefinition'), inventory.taskDefinitions.size);
  assert.equal(count('ec2:DescribeVpcAttribute'), 2 * inventory.vpcs.size);
  const awsManaged = [...inventory.managedPolicies.keys()].filter((arn) => arn.startsWith('arn:aws:iam::aws:'));
  assert.equal(count('iam:GetPolicy'), awsManaged.length);
  assert.equal(count('iam:GetPolicyVersion'), awsManaged.length);

  // Nothing asked twice: every call is a recorded input or the next page of one.
  const recordedPages = Object.values(file.calls as Record<string, { pages?: unknown[] }[]>).flatMap((calls) => calls.map((c) => c.pages?.length ?? 1));
  assert.ok(sum([...calls.values()]) <= sum(recordedPages));
});

test("with AWS's page sizes, four times the services take the same list calls; per-item calls grow by batches", async () => {
  const read = async (services: number) => {
    const gateway = AwsGateway.replay(syntheticAccount({ services, seed: 3 }) as unknown as Snapshot, `synthetic-${services}`);
    await loadInventory(gateway);
    return gateway.calls;
  };
  const [small, large] = [await read(50), await read(200)];
  const lists = ['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkAcls', 'ecs:ListClusters', 'ecs:ListServices', 'iam:GetAccountAuthorizationDetails'] as const;
  for (const op of lists) assert.equal(large.get(op), small.get(op), op);
  assert.equal(large.get('ecs:DescribeServices'), Math.ceil(200 / 10), 'DescribeServices by tens');
  assert.equal(large.get('iam:GetPolicyVersion'), small.get('iam:GetPolicyVersion'), 'GetPolicyVersion per AWS-managed policy, not per role');
});
