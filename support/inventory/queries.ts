// Questions about an inventory that several checks ask, answered the way AWS answers them.
import type { Inventory, RouteTable, Subnet, VpcEndpoint } from './model';

/** The route table that serves a subnet: its explicit association, else its VPC's main table. */
export function routeTableOf(inv: Inventory, subnet: Subnet): { table?: RouteTable; explicit: boolean } {
  const explicit = inv.routeTables.find((t) => t.subnetIds.includes(subnet.id));
  if (explicit) return { table: explicit, explicit: true };
  return { table: inv.routeTables.find((t) => t.vpcId === subnet.vpcId && t.main), explicit: false };
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
