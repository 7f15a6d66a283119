@NET @network
Feature: Every task subnet has a path to what its tasks need
  Before a task starts it must reach ECR (ecr.api, ecr.dkr), S3 for image layers, CloudWatch
  Logs, Secrets Manager or SSM, and S3 for env files: whatever its task definition uses. Each
  path goes through an interface endpoint, a gateway endpoint, a NAT gateway or an internet
  gateway, and is checked against routes, security groups and network ACLs as AWS applies them.
  Run `npm run explain -- --service <cluster>/<service>` to see every path hop by hop.

  Background:
    Given every service and scheduled task in the account

  @NET-01 @critical
  Scenario: Task subnets are private, or public with public IPs
    Then every task subnet is private, or public with public IPs assigned

  @NET-02 @critical
  Scenario: Every task subnet reaches everything its tasks need
    Then every task subnet has a verified path to everything its tasks need

  @NET-03 @medium
  Scenario: S3 traffic from the tasks goes through the S3 gateway endpoint, not the NAT gateway
    Then S3 traffic from every task subnet goes through the S3 gateway endpoint

  @RT-01 @critical
  Scenario: Routes the tasks depend on lead somewhere
    Then no route the tasks depend on is a blackhole, and every NAT gateway used is available and public

  @EP-07 @medium
  Scenario: Logs and secrets endpoints exist where there is no NAT path
    Then the logs, secretsmanager and ssm endpoints exist wherever tasks need them and have no NAT path

  @NET-02 @application-egress @high
  Scenario: Services that call the internet reach it over HTTPS
    Given every service tagged "egress=internet"
    Then every task subnet can reach 0.0.0.0/0 on port 443

  @NET-04 @high
  Scenario: Task subnets have room for a deployment
    Then every task subnet has free addresses for a deployment of the workloads that use it
