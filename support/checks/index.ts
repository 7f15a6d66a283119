// Every check's metadata by ID, for the world, the reports and the generated catalogue
// (docs/CHECKS.md). Typed by CheckId: a check missing here, or one here without an ID, does not compile.
import type { Check, Finding } from './finding';
import type { Inventory } from '../inventory/model';
import type { Workload } from '../workloads';
import type { CheckId } from './ids';
import { CHECK_IDS } from './ids';
import { configurationConsistent, INV_01 } from './consistency';
import { EP_01, EP_02, EP_03, EP_04, EP_05, interfaceEndpointAvailable, interfaceEndpointCoversTaskSubnets, interfaceEndpointPrivateDns, s3GatewayOnTaskRouteTables } from './endpoints';
import { EP_06, s3EndpointPolicyAllowsReads } from './endpoint-policy';
import * as paths from './paths';
import { EP_07, NACL_01, NACL_02, NET_01, NET_02, NET_03, RT_01, SG_01, SG_02, TD_02, TD_03 } from './paths';
import * as role from './execution-role';
import { IAM_01, IAM_02, IAM_03, IAM_04, IAM_05 } from './execution-role';
import * as hygiene from './hygiene';
import { DEP_01, OBS_01, TD_01, TD_04 } from './hygiene';
import { hasNeed } from './reach';
import { NET_04, subnetsHaveRoomForDeployment } from './addresses';
import { EVD_01, startErrorsExplained, type CheckRunner } from './evidence';
import { DNS_01, DNS_02, hostedZonesLeadToEndpoints, namesResolveThroughAws } from './dns';
import * as images from './images';
import { IMG_01 } from './images';

const BY_ID = {
  'INV-01': INV_01,
  'NET-01': NET_01,
  'NET-02': NET_02,
  'NET-03': NET_03,
  'NET-04': NET_04,
  'EP-01': EP_01,
  'EP-02': EP_02,
  'EP-03': EP_03,
  'EP-04': EP_04,
  'EP-05': EP_05,
  'EP-06': EP_06,
  'EP-07': EP_07,
  'DNS-01': DNS_01,
  'DNS-02': DNS_02,
  'SG-01': SG_01,
  'SG-02': SG_02,
  'NACL-01': NACL_01,
  'NACL-02': NACL_02,
  'RT-01': RT_01,
  'IAM-01': IAM_01,
  'IAM-02': IAM_02,
  'IAM-03': IAM_03,
  'IAM-04': IAM_04,
  'IAM-05': IAM_05,
  'TD-01': TD_01,
  'TD-02': TD_02,
  'TD-03': TD_03,
  'IMG-01': IMG_01,
  'TD-04': TD_04,
  'DEP-01': DEP_01,
  'OBS-01': OBS_01,
  'EVD-01': EVD_01,
} satisfies Record<CheckId, Check>;

for (const id of CHECK_IDS) if (BY_ID[id].id !== id) throw new Error(`check ${id} is registered with the metadata of ${BY_ID[id].id}`);

/** Every check in catalogue order. */
export const CHECKS: ReadonlyMap<CheckId, Check> = new Map(CHECK_IDS.map((id) => [id, BY_ID[id]]));

export function checkById(id: CheckId): Check {
  return BY_ID[id];
}

export type Run = (inv: Inventory, workload: Workload) => Finding[] | Promise<Finding[]>;

const INTERFACE_SERVICES = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'kms'] as const;

/**
 * Each check's function as the default features state it (EP-03 and EP-04 over every interface
 * endpoint the workload needs): what the suite-wide tests run on every bundled account.
 */
export const RUNS = {
  'INV-01': configurationConsistent,
  'NET-01': paths.taskSubnetsPrivateOrPublicIp,
  'NET-02': paths.everyNeedReachable,
  'NET-03': paths.s3PrefixListThroughGateway,
  'NET-04': subnetsHaveRoomForDeployment,
  'EP-01': (inv, w) => interfaceEndpointAvailable(inv, w, 'ecr.api'),
  'EP-02': (inv, w) => interfaceEndpointAvailable(inv, w, 'ecr.dkr'),
  'EP-03': (inv, w) => INTERFACE_SERVICES.filter((s) => hasNeed(inv, w, [s])).flatMap((s) => interfaceEndpointCoversTaskSubnets(inv, w, s)),
  'EP-04': (inv, w) => INTERFACE_SERVICES.filter((s) => hasNeed(inv, w, [s])).flatMap((s) => interfaceEndpointPrivateDns(inv, w, s)),
  'EP-05': s3GatewayOnTaskRouteTables,
  'EP-06': s3EndpointPolicyAllowsReads,
  'EP-07': (inv, w) => paths.supportingEndpointsWhereNeeded(inv, w),
  'DNS-01': namesResolveThroughAws,
  'DNS-02': hostedZonesLeadToEndpoints,
  'SG-01': paths.taskEgressAllowsHttps,
  'SG-02': paths.endpointIngressAllowsHttps,
  'NACL-01': paths.taskSubnetNaclsAllowHttps,
  'NACL-02': paths.endpointSubnetNaclsAllowHttps,
  'RT-01': paths.routesLeadSomewhere,
  'IAM-01': role.executionRoleTrusted,
  'IAM-02': role.executionRoleAllowsEcrPull,
  'IAM-03': role.executionRoleAllowsLogs,
  'IAM-04': role.executionRoleAllowsEnvFiles,
  'IAM-05': role.executionRoleAllowsSecrets,
  'TD-01': hygiene.fargateUsesAwsvpc,
  'TD-02': paths.envFileBucketsReachable,
  'TD-03': paths.imagesReachable,
  'IMG-01': images.imagesExist,
  'TD-04': (inv, w) => hygiene.containersRaiseOpenFiles(inv, w, 65536),
  'DEP-01': hygiene.deploymentRollsBack,
  'OBS-01': hygiene.vpcHasFlowLogs,
  'EVD-01': (inv, w) => startErrorsExplained(inv, w, explainingRun),
} satisfies Record<CheckId, Run>;

/** How EVD-01 runs the checks that explain a start error: as the default features state them. */
export const explainingRun: CheckRunner = (id) => ({ check: BY_ID[id], run: RUNS[id] });
