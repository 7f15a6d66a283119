@IMG @images
Feature: The images the tasks pull exist where the task definitions say
  A task stops before its containers start when its image is not in the repository: a tag that was
  never pushed, or one a lifecycle policy expired ("CannotPullContainerError: ... not found:
  manifest unknown"). An image in another account's repository is pulled only if that
  repository's policy lets the task execution role pull it. Images a pull through cache rule brings
  in on their first pull are not missing; images from other registries are not checked here.

  @IMG-01 @critical
  Scenario: Every ECR image exists, and other accounts' repositories let the execution role pull it
    Given every service and scheduled task in the account
    Then every ECR image the task definitions name exists, and other accounts' repositories let the execution role pull it
