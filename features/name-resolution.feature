@DNS @name-resolution
Feature: AWS service names resolve to a working path
  Before a task starts, its agent asks DNS for ecr.api, ecr.dkr, logs and the other AWS services
  it needs. In a VPC the Amazon DNS server answers: with the private addresses of the VPC's own
  interface endpoints, or of the endpoint a private hosted zone points at, or with the public
  addresses. Custom DNS servers or a Route 53 Resolver rule that forwards AWS names elsewhere
  answer in ways the suite cannot see: a name whose path then depends on their answer is reported
  as not verified (critical, never passed); one that works with whichever AWS address they give is
  reported as a risk, since it works only while they answer AWS names at all.
  A private hosted zone that answers a service name for the VPC (centralized endpoints in a hub
  VPC) must lead to an endpoint the tasks reach: a zone without the record answers NXDOMAIN.

  Background:
    Given every service and scheduled task in the account

  @DNS-01 @medium
  Scenario: Every workload VPC resolves AWS service names through the Amazon DNS server
    Then every workload VPC resolves AWS service names through the Amazon DNS server

  @DNS-02 @critical
  Scenario: AWS service names that a private hosted zone overrides lead to a working endpoint
    Then every AWS service name a private hosted zone answers leads to an endpoint the tasks reach
