@example
Feature: Examples for one service and one cluster
  Scenarios that name a service or a cluster of the bundled demo account. To check your own
  service, copy a scenario into a feature file under features/ and put your names in.
  Try them: npm run check -- docs/examples/one-service.feature

  @EP-05 @critical
  Scenario: The nestjs service routes S3 through the gateway endpoint in every zone
    Given the service "role-nestjs-second-service" in cluster "cluster-nestjs-second"
    Then the route table of every task subnet routes S3 through the gateway endpoint

  @EP-03 @critical
  Scenario: The batch cluster's ecr.dkr endpoint serves every zone its tasks run in
    Given every service in cluster "batch"
    Then every task subnet is covered by the ecr.dkr interface endpoint

  @OBS-01 @low @warning
  Scenario: The batch cluster's VPC has flow logs (reported, does not fail the run)
    Given every service in cluster "batch"
    Then the VPC of every workload has flow logs
