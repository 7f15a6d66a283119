// Raw IAM API shapes → inventory model. IAM returns policy documents URL-encoded.
import type * as iam from '@aws-sdk/client-iam';
import type * as M from './model';

export function decodePolicy(document: string | undefined): M.PolicyDocument | undefined {
  if (!document) return undefined;
  const text = document.trimStart().startsWith('{') ? document : decodeURIComponent(document);
  return JSON.parse(text) as M.PolicyDocument;
}

export function toIamRole(r: iam.RoleDetail): M.IamRole {
  return {
    arn: r.Arn!,
    name: r.RoleName!,
    trustPolicy: decodePolicy(r.AssumeRolePolicyDocument),
    inlinePolicies: (r.RolePolicyList ?? []).map((p) => ({ name: p.PolicyName!, document: decodePolicy(p.PolicyDocument)! })),
    attachedPolicyArns: (r.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn!).filter(Boolean),
    permissionsBoundaryArn: r.PermissionsBoundary?.PermissionsBoundaryArn,
  };
}

export function toManagedPolicy(p: iam.ManagedPolicyDetail): M.ManagedPolicy {
  const current = p.PolicyVersionList?.find((v) => v.IsDefaultVersion) ?? p.PolicyVersionList?.find((v) => v.VersionId === p.DefaultVersionId);
  return { arn: p.Arn!, name: p.PolicyName!, defaultVersionId: p.DefaultVersionId, document: decodePolicy(current?.Document) };
}
