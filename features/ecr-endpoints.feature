@EP @image-pull
Feature: ECR interface endpoints serve every task subnet
  A Fargate task in a private subnet gets its registry token from ecr.api and its image
  manifest from ecr.dkr through interface endpoints. An endpoint serves only the availability
  zones it has a subnet in, and only resolves privately with private DNS on.

  Background:
    Given every service and scheduled task in the account

  @EP-01 @critical
  Scenario: The ecr.api interface endpoint exists and is available
    Then the VPC of each service has an available ecr.api interface endpoint

  @EP-02 @critical
  Scenario: The ecr.dkr interface endpoint exists and is available
    Then the VPC of each service has an available ecr.dkr interface endpoint

  @EP-03 @critical
  Scenario Outline: The <endpoint> interface endpoint covers the zone of every task subnet
    Then every task subnet is covered by the <endpoint> interface endpoint

    Examples:
      | endpoint |
      | ecr.api  |
      | ecr.dkr  |

  @EP-04 @critical
  Scenario Outline: The <endpoint> interface endpoint resolves privately
    Then the <endpoint> interface endpoint resolves privately: private DNS on, VPC DNS support and hostnames on

    Examples:
      | endpoint |
      | ecr.api  |
      | ecr.dkr  |
