@hygiene
Feature: Task definitions, deployments and flow logs help tasks start and failures show
  Fargate needs the awsvpc network mode; connection-heavy containers need a higher open-files
  limit; the deployment circuit breaker stops a failing deployment from looping; flow logs show
  where a timed-out connection went.

  @TD-01 @critical
  Scenario: Fargate task definitions use awsvpc
    Given every service and scheduled task in the account
    Then Fargate task definitions use the awsvpc network mode

  @TD-04 @medium
  Scenario: Connection-heavy services raise the open-files limit
    Given every service tagged "connections=many"
    Then every container sets a nofile ulimit of at least 65536

  @DEP-01 @high
  Scenario: Services roll back failed deployments
    Given every service in the account
    Then every service rolls back failed deployments with the circuit breaker

  @OBS-01 @low
  Scenario: Workload VPCs have flow logs
    Given every service and scheduled task in the account
    Then the VPC of every workload has flow logs
