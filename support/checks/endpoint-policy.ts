// EP-06: the S3 gateway endpoint's policy lets the task read what it pulls through it: the
// region's ECR layer bucket (any principal: ECR hands out pre-signed URLs) and its env files
// (as the execution role).
import type { Inventory, VpcEndpoint } from '../inventory/model';
import { decodePolicy } from '../inventory/iam';
import { endpointPolicyAllows, layerBucketArn } from '../policy/endpoint';
import { pathsOf } from '../paths';
import type { Workload } from '../workloads';
import { defineCheck, type Finding } from './finding';
import { impactOf } from './impact';

export const EP_06 = defineCheck({
  id: 'EP-06',
  title: "the S3 gateway endpoint's policy allows s3:GetObject on the ECR layer bucket and the env files",
  kinds: ['start'],
  severity: 'critical',
  needs: ['s3'],
  risk: `an endpoint policy that does not allow the layer bucket makes every pull through it fail with 403: ${impactOf('s3')}`,
  remediation: "add an Allow for s3:GetObject on the region's layer bucket (and the env files) to the endpoint policy",
  source: 'ECR documentation',
  evidence: 'policy evaluator',
});

export async function s3EndpointPolicyAllowsReads(inv: Inventory, workload: Workload): Promise<Finding[]> {
  const executionRole = inv.taskDefinitions.get(workload.taskDefinitionArn)?.executionRoleArn;
  const asked = new Set<string>();
  const findings: Finding[] = [];
  for (const path of pathsOf(inv, workload)) {
    if (path.via !== 'gateway endpoint' || path.need?.service !== 's3') continue;
    const endpoint = inv.endpoints.find((e) => e.id === path.targetId);
    if (!endpoint) continue;
    for (const resource of path.need.resources) {
      if (asked.has(`${endpoint.id} ${resource}`)) continue;
      asked.add(`${endpoint.id} ${resource}`);
      const layers = resource === layerBucketArn(inv.region);
      const principal = layers ? undefined : executionRole;
      const verdict = await endpointPolicyAllows(endpoint, { principal, action: 's3:GetObject', resource, accountId: inv.account });
      if (verdict.decision === 'allowed') continue;
      findings.push({
        checkId: 'EP-06',
        kind: 'start',
        workload: workload.id,
        resourceIds: [endpoint.id, resource, ...(principal ? [principal] : [])],
        problem: `${verdict.decision === 'conditional' ? 'only conditionally: ' : ''}the policy of S3 gateway endpoint ${endpoint.id} does not allow s3:GetObject on ${resource} for ${principal ?? 'any principal'}: ${verdict.summary}`,
        expected: `${endpoint.id}'s policy allows s3:GetObject on ${resource}`,
        impact: layers ? impactOf('s3') : 'ResourceInitializationError: failed to download env files (403 through the endpoint)',
        fix: {
          console: `VPC → Endpoints → ${endpoint.id} → Policy → Edit policy → allow s3:GetObject on ${resource}`,
          cli: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${endpoint.id} --policy-document '${JSON.stringify(withStatement(endpoint, resource, principal))}' --region ${inv.region}`,
        },
      });
    }
  }
  return findings;
}

/** The endpoint's policy with one more Allow statement: what the fix command sets. */
function withStatement(endpoint: VpcEndpoint, resource: string, principal: string | undefined) {
  const current = endpoint.policyDocument ? decodePolicy(endpoint.policyDocument) : undefined;
  const statements = current ? (Array.isArray(current.Statement) ? current.Statement : [current.Statement]) : [];
  const allow = principal
    ? { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: resource, Condition: { ArnEquals: { 'aws:PrincipalArn': principal } } }
    : { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: resource };
  return { Version: current?.Version ?? '2012-10-17', Statement: [...statements, allow] };
}
