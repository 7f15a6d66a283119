@IAM @execution-role
Feature: The task execution role lets ECS start the task
  Before a task's containers start, ECS uses the task execution role to get an ECR token and pull
  the image, create the log stream, download env files and read secrets. The role must trust
  ecs-tasks.amazonaws.com and allow exactly those actions, counting explicit denies, wildcards and
  permissions boundaries the way IAM does. A permission that depends on a condition the suite
  cannot decide offline is reported as conditional, never passed.

  Background:
    Given every service and scheduled task in the account

  @IAM-01 @critical
  Scenario: The execution role exists and trusts ECS tasks
    Then the task execution role exists and trusts ECS tasks

  @IAM-02 @critical
  Scenario: The execution role may pull the images
    Then the task execution role allows pulling the images from ECR

  @IAM-03 @critical
  Scenario: The execution role may write the log streams
    Then the task execution role allows writing the log streams

  @IAM-04 @critical
  Scenario: The execution role may read the env files
    Then the task execution role allows reading the env files

  @IAM-05 @critical
  Scenario: The execution role may read the secrets
    Then the task execution role allows reading the secrets and decrypting their keys
