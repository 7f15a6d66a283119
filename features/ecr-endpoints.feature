@EP @image-pull
Feature: ECR interface endpoints serve every task subnet
  A Fargate task in a private subnet gets its registry token from ecr.api and its image
  manifest from ecr.dkr, through interface endpoints or a NAT gateway. These checks apply to
  workloads whose images are in the region's ECR. A missing endpoint is critical (a start failure)
  where nothing else reaches ECR; where a NAT gateway does, it is posture, reported with the
  scenario's severity. An endpoint without a subnet in a task's zone is resilience: tasks reach it
  across zones today.

  Background:
    Given every service and scheduled task in the account

  @EP-01 @medium
  Scenario: The ecr.api interface endpoint exists and is available
    Then the VPC of each service has an available ecr.api interface endpoint

  @EP-02 @medium
  Scenario: The ecr.dkr interface endpoint exists and is available
    Then the VPC of each service has an available ecr.dkr interface endpoint

  @EP-03 @medium
  Scenario Outline: The <endpoint> interface endpoint covers the zone of every task subnet
    Then every task subnet is covered by the <endpoint> interface endpoint

    Examples:
      | endpoint |
      | ecr.api  |
      | ecr.dkr  |

  @EP-04 @medium
  Scenario Outline: The <endpoint> interface endpoint resolves privately
    Then the <endpoint> interface endpoint resolves privately: private DNS on, VPC DNS support and hostnames on

    Examples:
      | endpoint |
      | ecr.api  |
      | ecr.dkr  |
