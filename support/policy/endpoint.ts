// EP-06: does a VPC endpoint's policy let a request through?
//
// Modelling. "An endpoint policy is a resource-based policy that you attach to a VPC endpoint to
// control which AWS principals can use the endpoint to access an AWS service"; it "does not
// override or replace identity-based policies or resource-based policies" (AWS docs, "Control
// access to VPC endpoints using endpoint policies":
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). It is an extra
// filter: a request through the endpoint must be allowed by it *and* by the usual policies. So it
// is evaluated here on its own, as a resource policy, for the given principal, as a same-account
// request with no identity policies: it allows exactly when one of its statements applies to the
// principal (Principal "*", or the role's ARN), the action and the resource, and no Deny applies.
// Whether the role's own policies allow the request is a separate question (roleAllows, IAM-0x).
//
// - A statement naming an account ("AWS": "111122223333") grants the role nothing: for endpoint
//   policies that means the account root user only (same docs page), and that is what a
//   same-account resource policy without identity policies yields.
// - Gateway endpoints require Principal "*" and restrict principals with aws:PrincipalArn
//   conditions; for a role principal aws:PrincipalArn and aws:PrincipalAccount are known, and so
//   are aws:SourceVpce and aws:SourceVpc (the request goes through this endpoint), so those
//   conditions are decided. Any other condition key makes the verdict conditional.
// - No principal: the request is not made with credentials we know. Image layers are the case:
//   ECR hands out pre-signed S3 URLs (ecr:GetDownloadUrlForLayer), signed by ECR, not by the
//   task's role. Modelled as an anonymous request: only statements for every principal count, and
//   a condition on the principal is conditional.
// - The simulator has its own endpoint-policy input, but (v0.1.173) it ignores Principal and
//   rejects any Principal other than "*", so it is not used.
// - No policy document: full access (the default endpoint policy, or a service without endpoint
//   policy support). Decided without loading the simulator.
import { decodePolicy } from '../inventory/iam';
import type { PolicyDocument, VpcEndpoint } from '../inventory/model';
import { ANONYMOUS, evaluate, type Verdict } from './evaluate';
import { accountOf, s3Arn } from '../util/arn';

export interface EndpointRequest {
  /** The role ARN making the request, or undefined when it is not known (any principal, e.g. ECR's pre-signed layer URLs). */
  principal?: string;
  action: string;
  /** The resource ARN, or a pattern ("arn:aws:s3:::bucket/*": any object in it). */
  resource: string;
  /** The account the endpoint and the task are in. */
  accountId: string;
  /** Further request-context values known to be true. */
  context?: Record<string, string | string[]>;
}

export interface EndpointVerdict extends Verdict {
  endpoint: string;
}

/**
 * The bucket ECR stores a region's image layers in, as an object pattern: what an S3 gateway
 * endpoint policy must allow s3:GetObject on for image pulls through the endpoint. ECR docs,
 * "Minimum Amazon S3 bucket permissions for Amazon ECR".
 */
export function layerBucketArn(region: string): string {
  return s3Arn(region, `prod-${region}-starport-layer-bucket/*`);
}

/** Does the endpoint's policy let `request` through? A missing document means full access. */
export async function endpointPolicyAllows(endpoint: VpcEndpoint, request: EndpointRequest): Promise<EndpointVerdict> {
  const who = request.principal ?? 'any principal';
  if (!endpoint.policyDocument) {
    return {
      decision: 'allowed',
      reason: 'no-endpoint-policy',
      statements: [],
      summary: `${endpoint.id} has no endpoint policy: full access, so ${request.action} on ${request.resource} for ${who} passes it`,
      endpoint: endpoint.id,
    };
  }
  let document: PolicyDocument | undefined;
  try {
    document = decodePolicy(endpoint.policyDocument);
  } catch (e) {
    return {
      decision: 'conditional',
      reason: 'unevaluable',
      statements: [],
      errors: [`endpoint policy of ${endpoint.id} is not JSON: ${(e as Error).message}`],
      summary: `the endpoint policy of ${endpoint.id} cannot be read, so whether it lets ${request.action} on ${request.resource} through cannot be decided`,
      endpoint: endpoint.id,
    };
  }
  const account = (request.principal && accountOf(request.principal)) || request.accountId;
  const verdict = await evaluate({
    principal: request.principal ?? ANONYMOUS,
    action: request.action,
    resource: request.resource,
    resourceAccount: account,
    identityPolicies: [],
    resourcePolicy: { name: endpoint.id, kind: 'endpoint-policy', document: document! },
    context: { 'aws:SourceVpce': endpoint.id, 'aws:SourceVpc': endpoint.vpcId, ...request.context },
  });
  return { ...verdict, endpoint: endpoint.id };
}
