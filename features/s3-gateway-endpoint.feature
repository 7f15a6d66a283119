@EP @image-pull
Feature: Image layers reach S3 through the gateway endpoint
  ECR keeps image layers in S3. A gateway endpoint is a route on a route table, not a
  subnet attachment: every task subnet's route table (its own, else the VPC's main table)
  needs the S3 prefix-list route to the endpoint. Without it S3 traffic takes the default
  route: a start failure where that leads nowhere, posture where a NAT gateway carries it.

  @EP-05 @medium
  Scenario: Every task subnet of every service routes S3 through the gateway endpoint
    Given every service and scheduled task in the account
    Then the route table of every task subnet routes S3 through the gateway endpoint

  @EP-06 @critical
  Scenario: The S3 gateway endpoint's policy lets tasks read layers and env files
    Given every service and scheduled task in the account
    Then the S3 gateway endpoint's policy lets tasks read the image layers and their env files
