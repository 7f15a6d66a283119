// EVD-01: the recent start errors ECS recorded, against the findings of the run.
import { Then } from '@cucumber/cucumber';
import type { PreflightWorld } from '../support/world';

Then('every task that failed to start in the last day is explained by a finding', function (this: PreflightWorld) {
  return this.expectStartErrorsExplained();
});
