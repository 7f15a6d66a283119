@example
Feature: Examples for scheduled tasks
  EventBridge rules and EventBridge Scheduler schedules that start ECS tasks get the same checks as
  services. These scenarios name the scheduled tasks of the bundled account 004, where the
  services started and the nightly report did not (seed 004).
  Try them: PREFLIGHT_ACCOUNT=004 npm run check -- docs/examples/scheduled-tasks.feature

  @TD-02 @critical
  Scenario: The nightly report can download its env file
    Given the scheduled task "cherry-nightly-report"
    Then every env file is in the task's region or reachable through a NAT gateway

  @NET-02 @critical
  Scenario: Every scheduled task reaches everything its tasks need
    Given every scheduled task of the account
    Then every task subnet has a verified path to everything its tasks need
