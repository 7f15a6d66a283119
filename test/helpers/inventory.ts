// An inventory with nothing in it, for tests that build the few resources they need.
import type { Inventory } from '../../support/inventory/model';

export function emptyInventory(parts: Partial<Inventory> = {}): Inventory {
  return {
    account: '123456789012',
    region: 'ap-northeast-2',
    vpcs: new Map(),
    subnets: new Map(),
    routeTables: [],
    endpoints: [],
    securityGroups: new Map(),
    networkAcls: [],
    prefixLists: new Map(),
    natGateways: new Map(),
    internetGateways: new Map(),
    clusters: [],
    services: [],
    taskDefinitions: new Map(),
    tasks: [],
    roles: new Map(),
    managedPolicies: new Map(),
    bucketRegions: new Map(),
    flowLogs: [],
    scheduledTasks: [],
    secretKeys: new Map(),
    dhcpOptions: new Map(),
    resolverRules: [],
    hostedZones: [],
    transitGatewayAttachments: [],
    transitGatewayRoutes: new Map(),
    images: new Map(),
    pullThroughCachePrefixes: [],
    repositoryPolicies: new Map(),
    ...parts,
  };
}
