@evidence
Feature: What actually happened: the account's own record of failed starts is explained
  ECS records why each task stopped (its stopped reason, kept visible for about an hour) and what
  went wrong in each service's events. A task that stopped before it started, with
  CannotPullContainerError or ResourceInitializationError, is evidence: the suite's findings should
  explain it. One that no finding explains means the suite missed something, and it is reported.

  @EVD-01 @high
  Scenario: Every recent start error is explained by a finding
    Given every service and scheduled task in the account
    Then every task that failed to start in the last day is explained by a finding
