// Reads AWS denied (inventory.denied): a check or scope that needs one of them cannot be
// evaluated, and says which action to grant instead of passing on data it never saw.
import type { OperationName } from '../aws/operations';
import { PlainError } from '../errors';
import type { Inventory } from './model';

/** The reads EventBridge and Scheduler scopes need: without them no scheduled task is known. */
export const SCHEDULED_TASK_READS: readonly OperationName[] = ['events:ListRules', 'events:ListTargetsByRule', 'scheduler:ListSchedules', 'scheduler:GetSchedule'];

/** A check (or scope) whose data AWS refused to the identity running the suite. */
export class DeniedReadError extends PlainError {
  override name = 'DeniedReadError';
  constructor(
    readonly what: string,
    readonly operations: OperationName[],
    inv: Pick<Inventory, 'account' | 'region' | 'denied'>,
  ) {
    const list = operations.map((op) => `"${op}"`).join(', ');
    const reasons = operations.map((op) => inv.denied?.get(op) ?? '');
    // A read that failed otherwise (an HTML 500 after the retries, a throttle that did not end) says what happened instead.
    const denied = reasons.every((r) => r === '' || / was denied /.test(r));
    super(
      denied
        ? `${what} could not be evaluated in ${inv.account}/${inv.region}: AWS denied ${operations.join(', ')} to the identity running the suite. ` +
            `Grant ${list} (add ${operations.length === 1 ? 'it' : 'them'} to that identity's IAM policy; iam/readonly-policy.json lists every action the suite needs), then run again`
        : `${what} could not be evaluated in ${inv.account}/${inv.region}: ${operations.join(', ')} could not be read (${reasons.filter(Boolean).join('; ')})`,
    );
  }
}

/** The reads among `needed` that AWS denied in this inventory. */
export function deniedAmong(inv: Pick<Inventory, 'denied'>, needed: readonly OperationName[] | undefined): OperationName[] {
  return (needed ?? []).filter((op) => inv.denied?.has(op));
}

/** Throws a DeniedReadError naming every denied read among `needed`; nothing when all were allowed. */
export function assertReadable(inv: Pick<Inventory, 'denied' | 'account' | 'region'>, needed: readonly OperationName[] | undefined, what: string): void {
  const denied = deniedAmong(inv, needed);
  if (denied.length > 0) throw new DeniedReadError(what, denied, inv);
}
