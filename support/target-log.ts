// Loaded by bin/run-targets.ts (npm run check:live): every scenario says which account and
// region it ran against, in the HTML report and the JUnit test case output, so results of
// several targets can never be mistaken for one another.
import { Before } from '@cucumber/cucumber';
import type { PreflightWorld } from './world';

Before(function (this: PreflightWorld) {
  const target = this.parameters.target;
  if (!this.inventory) return;
  const name = target.mode === 'live' && target.name ? ` (target ${target.name})` : '';
  this.log(`account ${this.inventory.account}, region ${this.inventory.region}${name}`);
});
