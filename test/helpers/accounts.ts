// The bundled accounts as inventories, loaded through the real loader in replay mode.
// Each call returns a fresh copy, so a test may change it to build a failing case.
import { inventoryOf } from '../../support/target';
import type { Inventory } from '../../support/inventory/model';
import { selectWorkloads, type Workload } from '../../support/workloads';

export async function account(name: string): Promise<Inventory> {
  return structuredClone((await inventoryOf({ mode: 'replay', account: name })).inventory);
}

export function service(inv: Inventory, cluster: string, name: string): Workload {
  return selectWorkloads(inv, { kind: 'service', cluster, service: name })[0];
}

/** IDs of the demo and healthy accounts (fixtures/accounts/*.json). */
export const ids = {
  vpc: 'vpc-0a99c0de7e5b1d2f3',
  privateA: 'subnet-0c10e5a1f2e3d4c5a',
  privateB: 'subnet-0c10e5b6a7b8c9d0b',
  privateC: 'subnet-0c10e5c1d2e3f4a5c',
  mainTable: 'rtb-0a1a9c3e5b7d9f1a3',
  tableA: 'rtb-0c10e5a9b8c7d6e5a',
  tableB: 'rtb-0c10e5b1a2b3c4d5b',
  ecrApi: 'vpce-0ec7a91a2b3c4d5e6',
  ecrDkr: 'vpce-0ec7d4e2f3a4b5c6d',
  s3Gateway: 'vpce-05353a7b9c1d3e5f7',
  logs: 'vpce-0109a1b2c3d4e5f6a',
  publicA: 'subnet-0ba5e1a2c3f4d5e6a',
  publicB: 'subnet-0ba5e7b8c9d0e1f2b',
  publicTable: 'rtb-0ba5e9f8e7d6c5b4a',
  nat: 'nat-0ae7a1c2d3e4f5a6b',
  igw: 'igw-0a9e1b2c3d4e5f6a7',
  taskSg: 'sg-0e5c3000a1b2c3d4e',
  endpointSg: 'sg-0443e5a1b2c3d4e5f',
  acl: 'acl-0def5a1b2c3d4e5f6',
  nestjs: ['cluster-nestjs-second', 'role-nestjs-second-service'] as const,
  worker: ['batch', 'report-worker'] as const,
};
