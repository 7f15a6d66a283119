@TD @task-definition
Feature: What the task definition asks for is reachable from the task's region
  A gateway endpoint only reaches S3 in its own region, and interface endpoints only serve
  their region's services: an env file in another region's bucket, or an image outside the
  region's ECR, needs a NAT gateway.

  Background:
    Given every service and scheduled task in the account

  @TD-02 @critical
  Scenario: Env files are in the task's region or reachable over NAT
    Then every env file is in the task's region or reachable through a NAT gateway

  @TD-03 @high
  Scenario: Images are in the region's ECR or reachable over NAT
    Then every image is in the region's ECR or reachable through a NAT gateway
