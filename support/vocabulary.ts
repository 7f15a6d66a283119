// The domain words feature files use, parsed into typed values. A word a feature gets wrong
// fails its step with one line saying what is allowed (and the nearest known word).
import { closest } from './util/closest';
import { InputError } from './errors';
import { isAddress, parseRemote } from './network/cidr';
import type { ExpectedPath } from './checks/paths';
import type { Check, NeedName } from './checks/finding';
import { EP_01, EP_02 } from './checks/endpoints';
import { EP_07 } from './checks/paths';

/** AWS services a task may reach through a VPC endpoint (the part after com.amazonaws.<region>.). */
export const ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 's3', 'logs', 'secretsmanager', 'ssm', 'kms', 'sts', 'ssmmessages', 'ec2messages', 'dynamodb'] as const;

export function parseEndpointService(word: string): string {
  if ((ENDPOINT_SERVICES as readonly string[]).includes(word)) return word;
  const suggestion = closest(word, ENDPOINT_SERVICES);
  throw new InputError(`unknown endpoint service '${word}'${suggestion ? `; did you mean '${suggestion}'?` : ''} (known: ${ENDPOINT_SERVICES.join(', ')})`);
}

/** The interface endpoints a task uses before it starts (CHECKS.md section 1): the ones the endpoint checks can state. */
export const INTERFACE_NEEDS = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'kms'] as const satisfies readonly NeedName[];

/** An endpoint service a task needs through an interface endpoint; any other is a mistake in the feature. */
export function interfaceService(service: string): NeedName {
  if ((INTERFACE_NEEDS as readonly string[]).includes(service)) return service as NeedName;
  throw new InputError(`a task does not need '${service}' through an interface endpoint before it starts, so no check states it; the endpoint checks know ${INTERFACE_NEEDS.join(', ')}${service === 's3' ? " (S3 is reached through the gateway endpoint: use the step \"the route table of every task subnet routes S3 through the gateway endpoint\")" : ''}`);
}

/** The check that states "an <service> interface endpoint exists": EP-01 and EP-02 for ECR's two, EP-07 for the rest. */
export function existenceCheckOf(service: string): Check {
  const need = interfaceService(service);
  return need === 'ecr.api' ? EP_01 : need === 'ecr.dkr' ? EP_02 : { ...EP_07, needs: [need] };
}

/** An IPv4 or IPv6 address, or a CIDR range: "52.219.204.42", "0.0.0.0/0". */
export function parseAddressOrRange(text: string): string {
  try {
    return isAddress(text) ? text : parseRemote(text).text;
  } catch {
    throw new InputError(`'${text}' is not an IP address or CIDR range (for example 52.219.204.42 or 0.0.0.0/0)`);
  }
}

export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`port ${text} is not between 1 and 65535`);
  return port;
}

/** The targets a NET-03 step can expect traffic to leave by. */
export const PATH_TARGETS: Record<string, ExpectedPath> = {
  'the S3 gateway endpoint': { via: 'gateway endpoint', service: 's3', label: 'the S3 gateway endpoint' },
  'a gateway endpoint': { via: 'gateway endpoint', label: 'a gateway endpoint' },
  'an interface endpoint': { via: 'interface endpoint', label: 'an interface endpoint' },
  'a NAT gateway': { via: 'NAT gateway', label: 'a NAT gateway' },
  'an internet gateway': { via: 'internet gateway', label: 'an internet gateway' },
};

export function parsePathTarget(text: string): ExpectedPath {
  const target = PATH_TARGETS[text];
  if (target) return target;
  const known = Object.keys(PATH_TARGETS);
  const suggestion = closest(text, known);
  throw new InputError(`unknown path target '${text}'${suggestion ? `; did you mean '${suggestion}'?` : ''} (known: ${known.join(', ')})`);
}

/** An ECS cluster or service name in quotes: letters, digits, hyphens and underscores, up to 255 (ECS's own rule). */
export function parseEcsName(kind: 'cluster' | 'service') {
  return (quoted: string): string => {
    const name = quoted.slice(1, -1);
    if (/^[A-Za-z0-9_-]{1,255}$/.test(name)) return name;
    throw new InputError(`"${name}" is not an ECS ${kind} name: use letters, digits, hyphens and underscores only (as in "orders-api")`);
  };
}
