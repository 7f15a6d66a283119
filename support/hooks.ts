import { Before, BeforeAll } from '@cucumber/cucumber';
import type { PreflightWorld, WorldParameters } from './world';
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

// Read the inventory before the first scenario, once per worker, so a bad target stops the run at once.
BeforeAll(async function () {
  const { target } = this.parameters as unknown as WorldParameters;
  await inventoryOf(target).catch(stopOnUsageError);
});

Before(async function (this: PreflightWorld) {
  this.inventory = (await inventoryOf(this.parameters.target).catch(stopOnUsageError)).inventory;
});
