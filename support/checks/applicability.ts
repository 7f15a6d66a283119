// Which workloads a check applies to (CHECKS.md section 3.1 and INV-01): those with the needs it is
// about; for network checks, those with awsvpc networking; for every check but INV-01, those whose
// configuration is consistent. The others are left out with one note per reason.
import type { Inventory } from '../inventory/model';
import type { Workload } from '../workloads';
import { inconsistenciesOf, usesAwsvpc } from './consistency';
import type { Check } from './finding';
import { hasNeed } from './reach';

export function applicableWorkloads(inv: Inventory, workloads: readonly Workload[], check: Check): { applicable: Workload[]; notes: string[] } {
  const applicable: Workload[] = [];
  const inconsistent: string[] = [];
  const notAwsvpc: string[] = [];
  const withoutNeed: string[] = [];
  for (const w of workloads) {
    if (check.id !== 'INV-01' && inconsistenciesOf(inv, w).length > 0) inconsistent.push(w.id);
    else if (check.network && !usesAwsvpc(inv, w)) notAwsvpc.push(`${w.id} (${inv.taskDefinitions.get(w.taskDefinitionArn)?.networkMode ?? 'bridge'} mode)`);
    else if (check.needs && !hasNeed(inv, w, check.needs)) withoutNeed.push(w.id);
    else applicable.push(w);
  }
  const notes: string[] = [];
  if (inconsistent.length) notes.push(`${check.id} does not evaluate ${inconsistent.join(', ')}: INV-01 names the inconsistencies of their configuration`);
  if (notAwsvpc.length) notes.push(`${check.id} does not apply to ${notAwsvpc.join(', ')}: without awsvpc their tasks use their container instance's network, not task subnets`);
  if (withoutNeed.length) notes.push(`${check.id} does not apply to ${withoutNeed.join(', ')}: their task definitions need none of ${check.needs!.join(', ')} in ${inv.region}`);
  return { applicable, notes };
}
