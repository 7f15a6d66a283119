// Prints what the suite sees in an account: `npm run inventory -- demo` or a snapshot path.
import { inventoryOf } from '../support/target';
import { UsageError, USAGE_EXIT_CODE } from '../support/errors';
import { resourceNameOf } from '../support/util/arn';

async function main() {
  const account = process.argv[2] ?? process.env.PREFLIGHT_ACCOUNT ?? 'demo';
  const target = account === 'live' ? ({ mode: 'live' } as const) : ({ mode: 'replay', account } as const);
  const { inventory: inv, gateway } = await inventoryOf(target);
  const subnetLine = (id: string) => {
    const s = inv.subnets.get(id);
    return s ? `${id} (${s.availabilityZone}${s.name ? `, ${s.name}` : ''})` : `${id} (unknown subnet)`;
  };
  console.log(`account ${inv.account} region ${inv.region} (${gateway.mode}, ${gateway.totalCalls} calls)`);
  for (const vpc of inv.vpcs.values()) {
    console.log(`\n${vpc.id} ${vpc.cidrBlocks.join(',')}${vpc.name ? ` ${vpc.name}` : ''} dnsSupport=${vpc.dnsSupport} dnsHostnames=${vpc.dnsHostnames}`);
    for (const table of inv.routeTables.filter((t) => t.vpcId === vpc.id)) {
      console.log(`  ${table.id}${table.main ? ' (main)' : ''} subnets=[${table.subnetIds.join(', ')}]`);
      for (const r of table.routes) {
        const dest = r.destination.kind === 'cidr' ? r.destination.cidr : r.destination.prefixListId;
        console.log(`    ${dest} -> ${r.target.id}${r.state === 'blackhole' ? ' (blackhole)' : ''}`);
      }
    }
    for (const e of inv.endpoints.filter((x) => x.vpcId === vpc.id)) {
      const where = e.type === 'Gateway' ? `route tables [${e.routeTableIds.join(', ')}]` : `subnets [${e.subnetIds.map(subnetLine).join(', ')}] privateDns=${e.privateDnsEnabled}`;
      console.log(`  ${e.id} ${e.serviceName} ${e.type} ${e.state} ${where}`);
    }
  }
  for (const s of inv.services) {
    const tasks = inv.tasks.filter((t) => t.clusterArn === s.clusterArn && t.group === `service:${s.name}`);
    console.log(`\nservice ${s.clusterName}/${s.name} subnets=[${(s.network?.subnetIds ?? []).map(subnetLine).join(', ')}]`);
    for (const t of tasks) console.log(`  task ${resourceNameOf(t.arn)} ${t.lastStatus} in ${t.subnetId ? subnetLine(t.subnetId) : '?'}`);
  }
  console.log(`\nroles: ${[...inv.roles.values()].map((r) => r.name).join(', ')}`);
  console.log(`calls: ${[...gateway.calls].map(([op, n]) => `${op}=${n}`).join(' ')}`);
}

main().catch((error) => {
  if (error instanceof UsageError) {
    console.error(`ecs-preflight: ${error.message}`);
    process.exit(USAGE_EXIT_CODE);
  }
  throw error;
});
