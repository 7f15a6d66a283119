// Questions about an inventory that several checks ask, answered the way AWS answers them.
import type { Inventory, Route, RouteTable, Subnet, VpcEndpoint } from './model';

// Route tables by the subnets they serve, indexed once per inventory: every path asks, and
// scanning every table for every path made a big account's paths quadratic. Rebuilt if the list
// of tables is replaced or grows (tests edit the inventories they build).
const tableIndex = new WeakMap<RouteTable[], { size: number; bySubnet: Map<string, RouteTable>; mainByVpc: Map<string, RouteTable> }>();

/** The route table that serves a subnet: its explicit association, else its VPC's main table. */
export function routeTableOf(inv: Inventory, subnet: Subnet): { table?: RouteTable; explicit: boolean } {
  let index = tableIndex.get(inv.routeTables);
  if (!index || index.size !== inv.routeTables.length) {
    index = { size: inv.routeTables.length, bySubnet: new Map(), mainByVpc: new Map() };
    // First match wins, as the scan it replaces did.
    for (const t of inv.routeTables) {
      for (const id of t.subnetIds) if (!index.bySubnet.has(id)) index.bySubnet.set(id, t);
      if (t.main && !index.mainByVpc.has(t.vpcId)) index.mainByVpc.set(t.vpcId, t);
    }
    tableIndex.set(inv.routeTables, index);
  }
  const explicit = index.bySubnet.get(subnet.id);
  if (explicit) return { table: explicit, explicit: true };
  return { table: index.mainByVpc.get(subnet.vpcId), explicit: false };
}

/** "com.amazonaws.<region>.<service>" (or the China partition's "cn.com.amazonaws…"). */
export function endpointServiceName(region: string, service: string): string {
  return `${region.startsWith('cn-') ? 'cn.' : ''}com.amazonaws.${region}.${service}`;
}

/** The VPC's endpoints for one AWS service and endpoint type, available ones first. */
export function endpointsFor(inv: Inventory, vpcId: string, service: string, type: 'Interface' | 'Gateway'): VpcEndpoint[] {
  const name = endpointServiceName(inv.region, service);
  return inv.endpoints
    .filter((e) => e.vpcId === vpcId && e.serviceName === name && e.type === type)
    .sort((a, b) => Number(b.state === 'available') - Number(a.state === 'available'));
}

/** Availability zones an interface endpoint has a network interface in. */
export function endpointZones(inv: Inventory, endpoint: VpcEndpoint): string[] {
  const zones = endpoint.subnetIds.flatMap((id) => inv.subnets.get(id)?.availabilityZone ?? []);
  return [...new Set(zones)].sort();
}

/** The table's 0.0.0.0/0 route: where traffic to "the internet" goes when no more specific route takes it. */
export function defaultRoute(table: RouteTable | undefined): Route | undefined {
  return table?.routes.find((r) => r.destination.kind === 'cidr' && r.destination.cidr === '0.0.0.0/0');
}
