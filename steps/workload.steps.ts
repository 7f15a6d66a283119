// IAM-01..05, TD-01, TD-04, DEP-01, OBS-01: roles, task definitions, deployments, flow logs.
import { Then } from '@cucumber/cucumber';
import type { PreflightWorld } from '../support/world';
import * as role from '../support/checks/execution-role';
import * as hygiene from '../support/checks/hygiene';
import { configurationConsistent, INV_01 } from '../support/checks/consistency';

Then('the task execution role exists and trusts ECS tasks', function (this: PreflightWorld) {
  return this.expectNoFindings(role.IAM_01, role.executionRoleTrusted);
});

Then('the task execution role allows pulling the images from ECR', function (this: PreflightWorld) {
  return this.expectNoFindings(role.IAM_02, role.executionRoleAllowsEcrPull);
});

Then('the task execution role allows writing the log streams', function (this: PreflightWorld) {
  return this.expectNoFindings(role.IAM_03, role.executionRoleAllowsLogs);
});

Then('the task execution role allows reading the env files', function (this: PreflightWorld) {
  return this.expectNoFindings(role.IAM_04, role.executionRoleAllowsEnvFiles);
});

Then('the task execution role allows reading the secrets and decrypting their keys', function (this: PreflightWorld) {
  return this.expectNoFindings(role.IAM_05, role.executionRoleAllowsSecrets);
});

Then('Fargate task definitions use the awsvpc network mode', function (this: PreflightWorld) {
  return this.expectNoFindings(hygiene.TD_01, hygiene.fargateUsesAwsvpc);
});

Then('every container sets a nofile ulimit of at least {int}', function (this: PreflightWorld, minimum: number) {
  return this.expectNoFindings(hygiene.TD_04, (inv, w) => hygiene.containersRaiseOpenFiles(inv, w, minimum));
});

Then('every service rolls back failed deployments with the circuit breaker', function (this: PreflightWorld) {
  return this.expectNoFindings(hygiene.DEP_01, hygiene.deploymentRollsBack);
});

Then('the VPC of every workload has flow logs', function (this: PreflightWorld) {
  return this.expectNoFindings(hygiene.OBS_01, hygiene.vpcHasFlowLogs);
});

Then('the configuration of every workload is consistent: its subnets, security groups and task definition exist in one VPC', function (this: PreflightWorld) {
  return this.expectNoFindings(INV_01, configurationConsistent);
});
