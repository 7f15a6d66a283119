// Custom parameter types: steps receive domain values, and a typo fails the step with a suggestion.
import { defineParameterType } from '@cucumber/cucumber';
import { parseAddressOrRange, parseEcsName, parseEndpointService, parsePathTarget, parsePort } from './vocabulary';

defineParameterType({ name: 'endpointService', regexp: /[a-z0-9-]+(?:\.[a-z0-9-]+)*/, transformer: parseEndpointService });

defineParameterType({
  name: 'address',
  regexp: /\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?|[0-9a-fA-F]{0,4}:[0-9a-fA-F:]*(?:\/\d{1,3})?/,
  transformer: parseAddressOrRange,
});

defineParameterType({ name: 'port', regexp: /\d+/, transformer: parsePort });

// Any "the/a/an …" phrase matches, so that a misspelt target gets a suggestion rather than "undefined step".
defineParameterType({ name: 'pathTarget', regexp: /(?:the|an?) [A-Za-z0-9 .-]+/, transformer: parsePathTarget });

// Quoted, since ECS names may contain what other words cannot; whether they exist is checked against the account.
defineParameterType({ name: 'cluster', regexp: /"[^"]*"/, transformer: parseEcsName('cluster') });
defineParameterType({ name: 'service', regexp: /"[^"]*"/, transformer: parseEcsName('service') });
