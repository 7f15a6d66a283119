@example
Feature: Examples for one service and one cluster
  Scenarios that name a service or a cluster of the bundled demo account. To check your own
  service, copy a scenario into a feature file in a folder of your team under features/
  (features/<team>/…) and put your names in.
  Try them: npm run check -- docs/examples/one-service.feature

  @EP-05 @medium
  Scenario: The nestjs service routes S3 through the gateway endpoint in every zone
    Given the service "role-nestjs-second-service" in cluster "cluster-nestjs-second"
    Then the route table of every task subnet routes S3 through the gateway endpoint

  @EP-03 @medium
  Scenario: The batch cluster's ecr.dkr endpoint serves every zone its tasks run in
    Given every service in cluster "batch"
    Then every task subnet is covered by the ecr.dkr interface endpoint

  @OBS-01 @low @warning
  Scenario: The batch cluster's VPC has flow logs (reported, does not fail the run)
    Given every service in cluster "batch"
    Then the VPC of every workload has flow logs

  @NET-03 @medium
  Scenario: The seed's S3 address leaves the nestjs subnets through the S3 gateway endpoint
    # 52.219.204.42 is the S3 address of seed 000's "i/o timeout" (ap-northeast-2): is it in the
    # region's S3 ranges, and which route does each task subnet send it by?
    Given the service "role-nestjs-second-service" in cluster "cluster-nestjs-second"
    Then from every task subnet, 52.219.204.42 on port 443 goes through the S3 gateway endpoint
