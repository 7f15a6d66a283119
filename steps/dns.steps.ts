// DNS-01 and DNS-02: who answers the tasks' DNS questions for AWS service names, and where the answer leads.
import { Then } from '@cucumber/cucumber';
import type { PreflightWorld } from '../support/world';
import { DNS_01, DNS_02, hostedZonesLeadToEndpoints, namesResolveThroughAws } from '../support/checks/dns';

Then('every workload VPC resolves AWS service names through the Amazon DNS server', function (this: PreflightWorld) {
  return this.expectNoFindings(DNS_01, namesResolveThroughAws);
});

Then('every AWS service name a private hosted zone answers leads to an endpoint the tasks reach', function (this: PreflightWorld) {
  return this.expectNoFindings(DNS_02, hostedZonesLeadToEndpoints);
});
