// Small inventories and realistic policy documents for the policy tests.
import type { IamRole, Inventory, ManagedPolicy, PolicyDocument, VpcEndpoint } from '../../support/inventory/model';
import { emptyInventory } from '../helpers/inventory';

export const ACCOUNT = '111122223333';
export const REGION = 'ap-northeast-2';

export const EXEC_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

/** AmazonECSTaskExecutionRolePolicy, as AWS publishes it. */
export const ECS_TASK_EXECUTION_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'ecr:GetAuthorizationToken',
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchGetImage',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ],
      Resource: '*',
    },
  ],
};

export const ECR_ACTIONS = ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];
export const LOGS_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

export function trustPolicy(service: string | string[], condition?: Record<string, unknown>): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: '', Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }],
  };
}

export function policy(...statements: Record<string, unknown>[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export const repoArn = (name: string) => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const customerPolicyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
export const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
export const parameterArn = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${name}`;
export const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export function role(
  name: string,
  parts: { trust?: PolicyDocument | null; inline?: Record<string, PolicyDocument>; attached?: string[]; boundary?: string } = {},
): IamRole {
  return {
    arn: roleArn(name),
    name,
    ...(parts.trust === null ? {} : { trustPolicy: parts.trust ?? trustPolicy('ecs-tasks.amazonaws.com') }),
    inlinePolicies: Object.entries(parts.inline ?? {}).map(([policyName, document]) => ({ name: policyName, document })),
    attachedPolicyArns: parts.attached ?? [],
    ...(parts.boundary ? { permissionsBoundaryArn: parts.boundary } : {}),
  };
}

export function managed(arn: string, document: PolicyDocument | undefined): ManagedPolicy {
  return { arn, name: arn.split('/').pop()!, defaultVersionId: 'v1', ...(document ? { document } : {}) };
}

/** An inventory with every field of the model; only what a test names is filled. */
export function inventory(parts: { roles?: IamRole[]; managedPolicies?: ManagedPolicy[]; endpoints?: VpcEndpoint[] } = {}): Inventory {
  return emptyInventory({
    account: ACCOUNT,
    region: REGION,
    endpoints: parts.endpoints ?? [],
    roles: new Map((parts.roles ?? []).map((r) => [r.arn, r])),
    managedPolicies: new Map((parts.managedPolicies ?? []).map((p) => [p.arn, p])),
  });
}

/** An inventory with the AWS-managed execution policy and the given roles. */
export function withExecPolicy(...roles: IamRole[]): Inventory {
  return inventory({ roles, managedPolicies: [managed(EXEC_POLICY_ARN, ECS_TASK_EXECUTION_POLICY)] });
}

export function s3GatewayEndpoint(id: string, policyDocument?: PolicyDocument | string): VpcEndpoint {
  return {
    id,
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    serviceName: `com.amazonaws.${REGION}.s3`,
    type: 'Gateway',
    state: 'available',
    subnetIds: [],
    routeTableIds: ['rtb-0123456789abcdef0'],
    securityGroupIds: [],
    privateDnsEnabled: false,
    dnsNames: [],
    ...(policyDocument === undefined ? {} : { policyDocument: typeof policyDocument === 'string' ? policyDocument : JSON.stringify(policyDocument) }),
  };
}
