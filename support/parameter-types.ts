// Custom parameter types: steps receive domain values, and a typo fails the step with a suggestion.
import { defineParameterType } from '@cucumber/cucumber';
import { PATH_TARGETS, parseAddressOrRange, parseEndpointService, parsePort } from './vocabulary';

defineParameterType({ name: 'endpointService', regexp: /[a-z0-9-]+(?:\.[a-z0-9-]+)*/, transformer: parseEndpointService });

defineParameterType({
  name: 'address',
  regexp: /\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?|[0-9a-fA-F]{0,4}:[0-9a-fA-F:]*(?:\/\d{1,3})?/,
  transformer: parseAddressOrRange,
});

defineParameterType({ name: 'port', regexp: /\d+/, transformer: parsePort });

defineParameterType({
  name: 'pathTarget',
  regexp: new RegExp(Object.keys(PATH_TARGETS).join('|')),
  transformer: (text: string) => PATH_TARGETS[text],
});
