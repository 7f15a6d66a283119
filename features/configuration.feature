@INV @configuration
Feature: Each workload's configuration names resources that exist, in one VPC
  ECS places a task on the subnets and security groups its network configuration names. When one
  of them does not exist, or they lie in two VPCs, no task can be placed, and nothing else about
  the workload's network can be stated: the other checks leave such a workload out and say so.

  @INV-01 @critical
  Scenario: Workload configurations are consistent
    Given every service and scheduled task in the account
    Then the configuration of every workload is consistent: its subnets, security groups and task definition exist in one VPC
