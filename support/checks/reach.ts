// What the endpoint checks ask of the path engine: which task subnets reach a need of the
// workload's own region, and by what. A missing endpoint is a start failure only where the path
// engine finds no other way; where a NAT or internet gateway carries the traffic it is posture.
import type { Inventory } from '../inventory/model';
import { needsOf, type Need } from '../needs';
import { pathsOf, type Hop, type Path } from '../paths';
import type { Workload } from '../workloads';
import type { NeedName, PathRef } from './finding';

/** The workload's need of `service` in the inventory's region, if its task definition has one. */
export function needOf(inv: Inventory, workload: Workload, service: NeedName): Need | undefined {
  return needsOf(inv, workload).find((n) => (service === 'internet' ? n.kind === 'internet' : n.kind === 'aws-service' && n.service === service && n.region === inv.region));
}

/** Whether the workload has any of these needs (AWS services in its own region, or the internet). */
export function hasNeed(inv: Inventory, workload: Workload, names: readonly NeedName[]): boolean {
  return names.some((name) => needOf(inv, workload, name) !== undefined);
}

/** Every task subnet's path to the workload's need of `service` in its own region. */
export function pathsToService(inv: Inventory, workload: Workload, service: NeedName): Path[] {
  const need = needOf(inv, workload, service);
  return need ? pathsOf(inv, workload).filter((p) => p.need?.id === need.id) : [];
}

export function blocking(hop: Hop): boolean {
  return hop.status === 'blocked' || hop.status === 'unverifiable';
}

/** The first hop that stops a path (or makes it unverifiable). */
export function blockerOf(path: Path): Hop | undefined {
  return path.hops.find(blocking);
}

export function pathRef(path: Path): PathRef {
  return { subnetId: path.subnet.id, to: path.need?.id ?? path.to };
}

export function where(path: Path): string {
  return `${path.subnet.id} (${path.subnet.availabilityZone})`;
}

/** "nat-0ae7… (NAT gateway)": what carries a reachable path that does not use the endpoint. */
export function carrier(path: Path): string {
  return path.targetId && path.targetId !== 'local' ? `${path.via} ${path.targetId}` : path.via;
}

/** Splits paths into those that work anyway (posture) and those that do not (start: blocked, or cannot be verified). */
export function byReachability(paths: Path[]): { reachable: Path[]; unreachable: Path[] } {
  return { reachable: paths.filter((p) => p.verdict === 'reachable'), unreachable: paths.filter((p) => p.verdict !== 'reachable') };
}

/** "subnet-a (2a), subnet-b (2b)" */
export function subnetList(paths: Path[]): string {
  return [...new Set(paths.map(where))].join(', ');
}

/** One line on why unreachable paths fail: "cannot be verified: …" or the blocking hop's evidence, distinct ones joined. */
export function whyUnreachable(paths: Path[]): string {
  const texts = [...new Set(paths.map((p) => (p.verdict === 'cannot be verified' ? unverified : (t: string) => t)(blockerOf(p)?.text ?? 'no evidence')))];
  return texts.join('; ');
}

/** "leaves through NAT gateway nat-… (from subnet-a (2a), subnet-b (2b))" for each carrier. */
export function howItLeaves(paths: Path[]): string {
  const byCarrier = new Map<string, Path[]>();
  for (const p of paths) byCarrier.set(carrier(p), [...(byCarrier.get(carrier(p)) ?? []), p]);
  return [...byCarrier].map(([via, ps]) => `through ${via} from ${subnetList(ps)}`).join('; ');
}

/** A hop's text as what cannot be verified, said once. */
export function unverified(text: string): string {
  return /^cannot be verified\b|^whether /.test(text) ? text : `cannot be verified: ${text}`;
}

