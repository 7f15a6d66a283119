// EP-01..EP-05: VPC endpoints for the image pull.
import { Then } from '@cucumber/cucumber';
import type { PreflightWorld } from '../support/world';
import { EP_06, s3EndpointPolicyAllowsReads } from '../support/checks/endpoint-policy';
import {
  EP_03,
  EP_04,
  EP_05,
  existenceCheck,
  interfaceEndpointAvailable,
  interfaceEndpointCoversTaskSubnets,
  interfaceEndpointPrivateDns,
  s3GatewayOnTaskRouteTables,
} from '../support/checks/endpoints';

Then('the VPC of each service has an available {endpointService} interface endpoint', function (this: PreflightWorld, service: string) {
  return this.expectNoFindings(existenceCheck(service), (inv, w) => interfaceEndpointAvailable(inv, w, service));
});

Then('every task subnet is covered by the {endpointService} interface endpoint', function (this: PreflightWorld, service: string) {
  return this.expectNoFindings(EP_03, (inv, w) => interfaceEndpointCoversTaskSubnets(inv, w, service));
});

Then('the {endpointService} interface endpoint resolves privately: private DNS on, VPC DNS support and hostnames on', function (this: PreflightWorld, service: string) {
  return this.expectNoFindings(EP_04, (inv, w) => interfaceEndpointPrivateDns(inv, w, service));
});

Then('the route table of every task subnet routes S3 through the gateway endpoint', function (this: PreflightWorld) {
  return this.expectNoFindings(EP_05, (inv, w) => s3GatewayOnTaskRouteTables(inv, w));
});

Then("the S3 gateway endpoint's policy lets tasks read the image layers and their env files", function (this: PreflightWorld) {
  return this.expectNoFindings(EP_06, s3EndpointPolicyAllowsReads);
});
