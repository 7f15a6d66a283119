// Domain words in feature files become typed values; a typo fails the step with a suggestion.
import { defineParameterType } from '@cucumber/cucumber';
import { closest } from './util/closest';
import { PlainError } from './errors';

/** AWS services a task may reach through a VPC endpoint (the part after com.amazonaws.<region>.). */
export const ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 's3', 'logs', 'secretsmanager', 'ssm', 'kms', 'sts', 'ssmmessages', 'ec2messages', 'dynamodb'] as const;

export function parseEndpointService(word: string): string {
  if ((ENDPOINT_SERVICES as readonly string[]).includes(word)) return word;
  const suggestion = closest(word, ENDPOINT_SERVICES);
  throw new PlainError(`unknown endpoint service '${word}'${suggestion ? `; did you mean '${suggestion}'?` : ''} (known: ${ENDPOINT_SERVICES.join(', ')})`);
}

defineParameterType({
  name: 'endpointService',
  regexp: /[a-z0-9-]+(?:\.[a-z0-9-]+)*/,
  transformer: parseEndpointService,
});
