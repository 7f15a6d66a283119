@SG @NACL @network
Feature: Security groups and network ACLs let HTTPS through
  Security groups are stateful: the task's groups must allow HTTPS out, and an interface
  endpoint's groups must allow it in. Network ACLs are stateless and read by rule number, first
  match wins: HTTPS must be allowed out and the replies (ports 1024-65535) back in, on the task
  subnet and on the endpoint or NAT gateway subnet.

  Background:
    Given every service and scheduled task in the account

  @SG-01 @critical
  Scenario: Task security groups allow HTTPS out
    Then the task security groups allow HTTPS to every endpoint and destination

  @SG-02 @critical
  Scenario: Endpoint security groups allow HTTPS in from the tasks
    Then the endpoint security groups allow HTTPS from the tasks

  @NACL-01 @critical
  Scenario: Task subnet NACLs allow HTTPS out and the replies back
    Then the NACL of every task subnet allows HTTPS out and the replies back

  @NACL-02 @critical
  Scenario: Endpoint and NAT subnet NACLs allow HTTPS in and the replies back
    Then the NACL of every endpoint and NAT subnet allows HTTPS in and the replies back
