// EP-01..EP-06: VPC endpoints for the image pull.
import { Then } from '@cucumber/cucumber';
import type { PreflightWorld } from '../support/world';
import { EP_06, s3EndpointPolicyAllowsReads } from '../support/checks/endpoint-policy';
import { EP_03, EP_04, EP_05, interfaceEndpointAvailable, interfaceEndpointCoversTaskSubnets, interfaceEndpointPrivateDns, s3GatewayOnTaskRouteTables } from '../support/checks/endpoints';
import { EP_07, supportingEndpointsWhereNeeded } from '../support/checks/paths';
import { existenceCheckOf, interfaceService } from '../support/vocabulary';

Then('the VPC of each service has an available {endpointService} interface endpoint', function (this: PreflightWorld, service: string) {
  const check = existenceCheckOf(service);
  if (check.id === 'EP-07') return this.expectNoFindings(check, (inv, w) => supportingEndpointsWhereNeeded(inv, w, [interfaceService(service)]));
  return this.expectNoFindings(check, (inv, w) => interfaceEndpointAvailable(inv, w, interfaceService(service)));
});

Then('every task subnet is covered by the {endpointService} interface endpoint', function (this: PreflightWorld, service: string) {
  const need = interfaceService(service);
  return this.expectNoFindings({ ...EP_03, needs: [need] }, (inv, w) => interfaceEndpointCoversTaskSubnets(inv, w, need));
});

Then('the {endpointService} interface endpoint resolves privately: private DNS on, VPC DNS support and hostnames on', function (this: PreflightWorld, service: string) {
  const need = interfaceService(service);
  return this.expectNoFindings({ ...EP_04, needs: [need] }, (inv, w) => interfaceEndpointPrivateDns(inv, w, need));
});

Then('the route table of every task subnet routes S3 through the gateway endpoint', function (this: PreflightWorld) {
  return this.expectNoFindings(EP_05, s3GatewayOnTaskRouteTables);
});

Then("the S3 gateway endpoint's policy lets tasks read the image layers and their env files", function (this: PreflightWorld) {
  return this.expectNoFindings(EP_06, s3EndpointPolicyAllowsReads);
});

Then('the logs, secretsmanager and ssm endpoints exist wherever tasks need them and have no NAT path', function (this: PreflightWorld) {
  return this.expectNoFindings(EP_07, (inv, w) => supportingEndpointsWhereNeeded(inv, w));
});
