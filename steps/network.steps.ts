// NET, SG, NACL, RT and TD checks: the paths from task subnets to what tasks need.
import { Then } from '@cucumber/cucumber';
import type { PreflightWorld } from '../support/world';
import * as paths from '../support/checks/paths';
import { NET_04, subnetsHaveRoomForDeployment } from '../support/checks/addresses';

Then('every task subnet is private, or public with public IPs assigned', function (this: PreflightWorld) {
  return this.expectNoFindings(paths.NET_01, paths.taskSubnetsPrivateOrPublicIp);
});

Then('every task subnet has a verified path to everything its tasks need', function (this: PreflightWorld) {
  return this.expectNoFindings(paths.NET_02, paths.everyNeedReachable);
});

Then('every task subnet can reach {address} on port {port}', function (this: PreflightWorld, remote: string, port: number) {
  return this.expectNoFindings(paths.EGRESS, (inv, w) => paths.remoteReachable(inv, w, remote, port));
});

Then('S3 traffic from every task subnet goes through the S3 gateway endpoint', function (this: PreflightWorld) {
  return this.expectNoFindings(paths.NET_03, paths.s3PrefixListThroughGateway);
});

Then('from every task subnet, {address} on port {port} goes through {pathTarget}', function (this: PreflightWorld, address: string, port: number, expected: paths.ExpectedPath) {
  return this.expectNoFindings(paths.NET_03, (inv, w) => paths.addressGoesThrough(inv, w, address, port, expected));
});

Then('the task security groups allow HTTPS to every endpoint and destination', function (this: PreflightWorld) {
  return this.expectNoFindings(paths.SG_01, paths.taskEgressAllowsHttps);
});

Then('the endpoint security groups allow HTTPS from the tasks', function (this: PreflightWorld) {
  return this.expectNoFindings(paths.SG_02, paths.endpointIngressAllowsHttps);
});

Then('the NACL of every task subnet allows HTTPS out and the replies back', function (this: PreflightWorld) {
  return this.expectNoFindings(paths.NACL_01, paths.taskSubnetNaclsAllowHttps);
});

Then('the NACL of every endpoint and NAT subnet allows HTTPS in and the replies back', function (this: PreflightWorld) {
  return this.expectNoFindings(paths.NACL_02, paths.endpointSubnetNaclsAllowHttps);
});

Then('no route the tasks depend on is a blackhole, and every NAT gateway used is available and public', function (this: PreflightWorld) {
  return this.expectNoFindings(paths.RT_01, paths.routesLeadSomewhere);
});

Then("every env file is in the task's region or reachable through a NAT gateway", function (this: PreflightWorld) {
  return this.expectNoFindings(paths.TD_02, paths.envFileBucketsReachable);
});

Then("every image is in the region's ECR or reachable through a NAT gateway", function (this: PreflightWorld) {
  return this.expectNoFindings(paths.TD_03, paths.imagesReachable);
});

Then('every task subnet has free addresses for a deployment of the workloads that use it', function (this: PreflightWorld) {
  return this.expectNoFindings(NET_04, subnetsHaveRoomForDeployment);
});
