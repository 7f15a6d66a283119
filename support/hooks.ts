import { Before } from '@cucumber/cucumber';
import type { PreflightWorld } from './world';
import { inventoryOf } from './target';
import { UsageError, USAGE_EXIT_CODE } from './errors';

/** Bad input ends the run with one line and exit code 2: nothing can be evaluated. */
function stopOnUsageError(error: unknown): never {
  if (error instanceof UsageError) {
    process.stderr.write(`ecs-preflight: ${error.message}\n`);
    process.exit(USAGE_EXIT_CODE);
  }
  throw error;
}

// The first scenario of each worker reads the inventory; the rest share it. A bad target stops
// the run there; a run that selects no scenario reads nothing.
Before(async function (this: PreflightWorld) {
  this.inventory = (await inventoryOf(this.parameters.target).catch(stopOnUsageError)).inventory;
});
