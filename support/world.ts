import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { Inventory } from './inventory/model';
import type { Target } from './target';
import { describeScope, selectWorkloads, type Scope, type Workload } from './workloads';
import { mergeSharedFindings, type CheckInfo, type Finding } from './checks/finding';
import { CheckFailure } from './report';

export interface WorldParameters {
  target: Target;
}

/** What one scenario knows: the target's inventory (shared, read once) and the scope it chose. */
export class PreflightWorld extends World<WorldParameters> {
  inventory!: Inventory;
  private scope?: Scope;
  private selected?: Workload[];

  constructor(options: IWorldOptions<WorldParameters>) {
    super(options);
  }

  selectScope(scope: Scope): void {
    this.scope = scope;
    this.selected = selectWorkloads(this.inventory, scope);
  }

  get workloads(): Workload[] {
    if (!this.selected) throw new Error('no scope chosen: start the scenario with a step such as "Given every service in the account"');
    return this.selected;
  }

  /** Runs a check over every workload in scope and fails the step with every offender. */
  async expectNoFindings(check: CheckInfo, run: (inventory: Inventory, workload: Workload) => Finding[] | Promise<Finding[]>): Promise<void> {
    const perWorkload = await Promise.all(this.workloads.map((workload) => run(this.inventory, workload)));
    const findings = mergeSharedFindings(perWorkload.flat());
    const scope = describeScope(this.scope!);
    if (findings.length === 0) {
      // Say what was checked: a scope that selects nothing passes, but visibly.
      this.log(`${check.id} passed for ${scope}: ${this.workloads.map((w) => w.id).join(', ') || 'no service is in this scope, nothing was checked'}`);
      return;
    }
    throw new CheckFailure(check, findings);
  }
}

setWorldConstructor(PreflightWorld);
