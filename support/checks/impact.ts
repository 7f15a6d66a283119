// The error a task hits when it cannot reach an AWS service before it starts.
const IMPACT: Record<string, string> = {
  'ecr.api':
    'tasks cannot get an ECR auth token: ResourceInitializationError: unable to pull secrets or registry auth (GetAuthorizationToken i/o timeout)',
  'ecr.dkr': 'tasks cannot fetch the image manifest: CannotPullContainerError (i/o timeout to the registry)',
  s3: 'tasks cannot download image layers from S3: CannotPullContainerError: dial tcp 52.219.x.x:443: i/o timeout',
  logs: 'tasks cannot create their log stream: ResourceInitializationError: failed to validate logger args (CreateLogStream timeout)',
  secretsmanager: 'tasks cannot read their secrets: ResourceInitializationError: unable to pull secrets or registry auth',
  ssm: 'tasks cannot read their SSM parameters: ResourceInitializationError: unable to pull secrets or registry auth',
};

export function impactOf(service: string): string {
  return IMPACT[service] ?? `tasks cannot reach ${service} before they start and fail with ResourceInitializationError or an i/o timeout`;
}
