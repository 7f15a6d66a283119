// Fixes several checks share, built so that following them cannot break what works: an interface
// endpoint gets a security group that admits the tasks (never the tasks' own group, which admits
// only their callers), and stays inside the workload's VPC.
import type { Fix } from './checks/finding';
import type { Inventory, TaskDefinition } from './inventory/model';
import type { Workload } from './workloads';
import { endpointServiceName } from './inventory/queries';
import { ingressAllows } from './network/security-groups';

/**
 * A security group of the VPC that already lets the tasks in on HTTPS: the groups of the VPC's
 * interface endpoints first, then any group of the VPC. Undefined when none does.
 */
export function endpointGroupFor(inv: Inventory, vpcId: string, taskGroups: string[], taskSubnetCidrs: string[]): string | undefined {
  const admitsTasks = (groupId: string) =>
    taskSubnetCidrs.every((range) => ingressAllows(inv, [groupId], { protocol: 'tcp', port: 443, peer: { range, securityGroupIds: taskGroups } }).allowed);
  const endpointGroups = inv.endpoints.filter((e) => e.vpcId === vpcId && e.type === 'Interface').flatMap((e) => e.securityGroupIds);
  const vpcGroups = [...inv.securityGroups.values()].filter((g) => g.vpcId === vpcId && !taskGroups.includes(g.id)).map((g) => g.id);
  return [...new Set([...endpointGroups, ...vpcGroups])].filter((id) => !taskGroups.includes(id)).find(admitsTasks);
}

/** The group the endpoint fixes make where the VPC has none that admits the tasks. */
const ENDPOINT_GROUP_NAME = 'ecs-preflight-endpoints-https';

/** Creates an interface endpoint with private DNS in the given subnets, behind a group that admits the tasks on 443 (created if the VPC has none). */
export function interfaceEndpointFix(inv: Inventory, spec: { vpcId: string; service: string; subnetIds: string[]; taskGroups: string[]; taskSubnetCidrs: string[] }): Fix {
  const name = endpointServiceName(inv.region, spec.service);
  const region = `--region ${inv.region}`;
  const create = (groups: string) =>
    `aws ec2 create-vpc-endpoint --vpc-id ${spec.vpcId} --vpc-endpoint-type Interface --service-name ${name} --subnet-ids ${spec.subnetIds.join(' ')} --security-group-ids ${groups} --private-dns-enabled ${region}`;
  const existing = endpointGroupFor(inv, spec.vpcId, spec.taskGroups, spec.taskSubnetCidrs);
  const console = `VPC → Endpoints → Create endpoint → AWS services → ${name} → VPC ${spec.vpcId} → subnets ${spec.subnetIds.join(', ')} → Enable DNS name → security group`;
  if (existing) return { console: `${console} ${existing} (it lets the tasks in on HTTPS)`, cli: create(existing) };
  const source = spec.taskGroups.length ? spec.taskGroups.map((g) => `--source-group ${g}`)[0] : `--cidr ${spec.taskSubnetCidrs[0]}`;
  const extra = spec.taskGroups.slice(1).map((g) => ` && aws ec2 authorize-security-group-ingress --group-id "$SG" --protocol tcp --port 443 --source-group ${g} ${region}`).join('');
  return {
    console: `${console}: first create one in ${spec.vpcId} allowing inbound HTTPS (TCP 443) from ${spec.taskGroups.join(', ') || spec.taskSubnetCidrs.join(', ')}`,
    // The group is found first: the fixes of several endpoints of the VPC (ecr.api, ecr.dkr, logs) each make it, and are pasted one after another.
    cli:
      `SG=$(aws ec2 describe-security-groups --filters Name=vpc-id,Values=${spec.vpcId} Name=group-name,Values=${ENDPOINT_GROUP_NAME} --query 'SecurityGroups[0].GroupId' --output text ${region})` +
      ` && if [ "$SG" = None ]; then SG=$(aws ec2 create-security-group --group-name ${ENDPOINT_GROUP_NAME} --description "HTTPS from ECS tasks to interface endpoints" --vpc-id ${spec.vpcId} --query GroupId --output text ${region})` +
      ` && aws ec2 authorize-security-group-ingress --group-id "$SG" --protocol tcp --port 443 ${source} ${region}${extra}; fi` +
      ` && ${create('"$SG"')}`,
  };
}

/** Puts a route table on a gateway endpoint: the endpoint adds the route for its prefix list. */
export function gatewayRouteFix(inv: Inventory, gatewayId: string, tableId: string): Fix {
  return {
    console: `VPC → Endpoints → ${gatewayId} → Route tables → Manage route tables → tick ${tableId} → Modify route tables`,
    cli: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${gatewayId} --add-route-table-ids ${tableId} --region ${inv.region}`,
  };
}

/** Creates the region's S3 gateway endpoint on a route table. */
export function createS3GatewayFix(inv: Inventory, vpcId: string, tableId: string): Fix {
  const service = endpointServiceName(inv.region, 's3');
  return {
    console: `VPC → Endpoints → Create endpoint → ${service} (type Gateway) → VPC ${vpcId} → route table ${tableId}`,
    cli: `aws ec2 create-vpc-endpoint --vpc-id ${vpcId} --vpc-endpoint-type Gateway --service-name ${service} --route-table-ids ${tableId} --region ${inv.region}`,
  };
}

/** What describe-task-definition returns that register-task-definition refuses. */
const READ_ONLY_DEFINITION_FIELDS = ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt'];

/**
 * The definition as register-task-definition takes it, changed by a jq `edit`, in td.json: what
 * describe-task-definition returns cannot be registered again as it is.
 */
export function reviseDefinition(definition: Pick<TaskDefinition, 'family' | 'revision'>, edit: string, region: string, jqArgs = ''): string {
  const del = `del(${READ_ONLY_DEFINITION_FIELDS.map((f) => `.${f}`).join(', ')})`;
  return `aws ecs describe-task-definition --task-definition ${definition.family}:${definition.revision} --query taskDefinition ${region} | jq ${jqArgs ? `${jqArgs} ` : ''}'${del} | ${edit}' > td.json`;
}

/** Registers td.json, printing the new revision's ARN. */
export const REGISTER_DEFINITION = (region: string) => `aws ecs register-task-definition --cli-input-json file://td.json --query taskDefinition.taskDefinitionArn --output text ${region}`;

/** The commands that make the workload run the revision `register` creates, and what to know about them. */
export function runNewRevision(workload: Workload | undefined, family: string, register: string, region: string): { run: string; note?: string } {
  const service = workload?.service;
  if (service) {
    if (service.deploymentController === 'CODE_DEPLOY') return { run: register, note: `${workload!.id} is deployed by CodeDeploy: deploy the new revision with aws deploy create-deployment` };
    return { run: `${register} && aws ecs update-service --cluster ${service.clusterName} --service ${service.name} --task-definition ${family} ${region}` };
  }
  const task = workload?.scheduledTask;
  if (!task) return { run: register };
  // A target naming the family (no revision) runs the latest revision: registering is enough.
  if (!/:\d+$/.test(task.taskDefinitionArn)) return { run: register, note: `the ${task.source} ${task.name} runs the latest revision of ${family}` };
  const pinned = `TD=$(${register})`;
  if (task.source === 'EventBridge rule') {
    const edit = `map(if .EcsParameters.TaskDefinitionArn == $old then .EcsParameters.TaskDefinitionArn = $td else . end)`;
    return {
      run: `${pinned} && aws events list-targets-by-rule --rule ${task.name} --query Targets ${region} | jq --arg old ${task.taskDefinitionArn} --arg td "$TD" '${edit}' > targets.json && aws events put-targets --rule ${task.name} --targets file://targets.json ${region}`,
    };
  }
  const [group, name] = task.name.includes('/') ? [task.name.slice(0, task.name.indexOf('/')), task.name.slice(task.name.indexOf('/') + 1)] : ['default', task.name];
  return {
    run: `${pinned} && aws scheduler get-schedule --name ${name} --group-name ${group} ${region} | jq --arg td "$TD" 'del(.Arn, .CreationDate, .LastModificationDate) | .Target.EcsParameters.TaskDefinitionArn = $td' > schedule.json && aws scheduler update-schedule --cli-input-json file://schedule.json ${region}`,
  };
}

/** A new revision of the workload's definition changed by a jq `edit`, registered and put to use: one line that runs as pasted. */
export function newRevisionCli(workload: Workload, definition: Pick<TaskDefinition, 'family' | 'revision'>, edit: string, region: string, jqArgs = ''): string {
  const { run, note } = runNewRevision(workload, definition.family, REGISTER_DEFINITION(region), region);
  return `${reviseDefinition(definition, edit, region, jqArgs)} && ${run}${note ? `  # ${note}` : ''}`;
}

/**
 * What only the reader can choose (a free address range, a role), as a shell variable the command
 * stops on, saying what to set, rather than a <placeholder> bash would read as a redirect.
 */
export function toChoose(variable: string, what: string): string {
  return `\${${variable}:?set ${variable} to ${what.replace(/[}"$`]/g, '')}}`;
}

