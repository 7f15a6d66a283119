// Which route of a route table carries traffic to one destination address, the way the VPC router
// picks it ("How route priority works", Amazon VPC User Guide):
//   1. longest prefix match; IPv4 and IPv6 routes are independent of each other;
//   2. at equal prefix length a static route beats a prefix-list route,
//   3. which beats a propagated route (VPN / Direct Connect);
//   and a propagated route never takes traffic for the VPC's own CIDR from the local route,
//   even when it is more specific (Site-to-Site VPN guide, "Route tables and VPN route priority").
// A prefix-list route takes part with the CIDRs of its list, so `pl-… -> vpce-…` (S3's gateway
// endpoint) beats `0.0.0.0/0 -> nat-…` for an S3 address: seed 000 steps G–I.
import type { Inventory, Route, RouteTable } from '../inventory/model';
import { cidrContainsAddress, cidrsOverlap, maxPrefixLength, parseAddress, parseCidr, type Address, type Cidr } from './cidr';

export interface RouteChoice {
  route: Route;
  /** The CIDR that matched: the route's own destination, or the entry of its prefix list. */
  matchedCidr: string;
  prefixLength: number;
  via: 'cidr' | 'prefix-list';
  prefixListId?: string;
  /** A blackhole route is chosen like any other, and then the traffic is dropped. */
  blackhole: boolean;
  /**
   * Other routes exactly as good (same prefix length and kind): two prefix lists with the same
   * entry, or propagated routes. AWS uses one of them; the inventory cannot say which.
   */
  tiedWith: Route[];
}

/** A prefix-list route whose entries the inventory lacks: it may hold a longer match for any address. */
export interface UnknownPrefixListRoute {
  route: Route;
  prefixListId: string;
}

export interface RouteLookup {
  routeTableId: string;
  destination: string;
  /** The route the VPC router uses, as far as the inventory shows; undefined when no route matches. */
  chosen?: RouteChoice;
  /** Prefix-list routes that could outrank `chosen` (or match where nothing does) but whose lists are unknown. */
  unknownPrefixLists: UnknownPrefixListRoute[];
  /** False when unknown prefix lists or ties leave the answer open: report "cannot be verified", never pass. */
  certain: boolean;
}

/** How a route ranks among routes of the same prefix length: lower wins. */
type Kind = 0 | 1 | 2;
const STATIC: Kind = 0;
const PREFIX_LIST: Kind = 1;
const PROPAGATED: Kind = 2;

interface Candidate {
  route: Route;
  cidr: Cidr;
  kind: Kind;
  prefixListId?: string;
}

function isPropagated(route: Route): boolean {
  return route.origin === 'EnableVgwRoutePropagation';
}

/** Every CIDR a route stands for, with its rank; unknown prefix lists are set aside to be reported. */
function candidatesOf(inv: Inventory, route: Route, unknown: UnknownPrefixListRoute[]): Candidate[] {
  if (route.destination.kind === 'cidr') {
    return [{ route, cidr: parseCidr(route.destination.cidr), kind: isPropagated(route) ? PROPAGATED : STATIC }];
  }
  const prefixListId = route.destination.prefixListId;
  const list = inv.prefixLists.get(prefixListId);
  if (!list) {
    unknown.push({ route, prefixListId });
    return [];
  }
  return list.cidrs.map((cidr) => ({ route, cidr: parseCidr(cidr), kind: PREFIX_LIST, prefixListId }));
}

function better(a: Candidate, b: Candidate): number {
  return b.cidr.prefixLength - a.cidr.prefixLength || a.kind - b.kind;
}

/**
 * The route a subnet with this route table uses to reach `destination` (one IPv4 or IPv6 address).
 * Throws on a destination that is not an address.
 */
export function lookupRoute(inv: Inventory, table: RouteTable, destination: string): RouteLookup {
  const address: Address = parseAddress(destination);
  const unknown: UnknownPrefixListRoute[] = [];
  const all = table.routes.flatMap((route) => candidatesOf(inv, route, unknown));
  const locals = all.filter((c) => c.route.target.kind === 'local');

  let matches = all.filter((c) => cidrContainsAddress(c.cidr, address));
  // The local route keeps the VPC's own addresses from propagated routes, however specific.
  if (matches.some((c) => c.route.target.kind === 'local')) {
    matches = matches.filter((c) => !(c.kind === PROPAGATED && locals.some((l) => cidrsOverlap(l.cidr, c.cidr))));
  }
  // One candidate per route: a prefix list with nested entries counts with its longest match.
  matches.sort(better);
  const perRoute = matches.filter((c, i) => matches.findIndex((d) => d.route === c.route) === i);

  const best: Candidate | undefined = perRoute[0];
  // An unknown list may hold anything up to a host route; only a static host route is sure to beat it.
  const unbeatable = best !== undefined && best.kind === STATIC && best.cidr.prefixLength === maxPrefixLength(address.kind());
  const open = unbeatable ? [] : unknown;
  if (!best) return { routeTableId: table.id, destination, unknownPrefixLists: open, certain: open.length === 0 };

  // A tie only matters when the routes would send the traffic to different places.
  const differs = (r: Route) => r.target.id !== best.route.target.id || r.state !== best.route.state;
  const tiedWith = perRoute.slice(1).filter((c) => better(c, best) === 0 && differs(c.route)).map((c) => c.route);
  const chosen: RouteChoice = {
    route: best.route,
    matchedCidr: best.cidr.text,
    prefixLength: best.cidr.prefixLength,
    via: best.kind === PREFIX_LIST ? 'prefix-list' : 'cidr',
    blackhole: best.route.state === 'blackhole',
    tiedWith,
  };
  if (best.prefixListId) chosen.prefixListId = best.prefixListId;
  return { routeTableId: table.id, destination, chosen, unknownPrefixLists: open, certain: open.length === 0 && tiedWith.length === 0 };
}

/** "pl-78a54011 -> vpce-0abc (blackhole)", the way the console's Routes tab shows a route. */
export function describeRoute(route: Route): string {
  const destination = route.destination.kind === 'cidr' ? route.destination.cidr : route.destination.prefixListId;
  return `${destination} -> ${route.target.id}${route.state === 'blackhole' ? ' (blackhole)' : ''}`;
}

/** One line of evidence for a lookup: which route won and why, or why there is no answer. */
export function describeRouteLookup(lookup: RouteLookup): string {
  const unknown = lookup.unknownPrefixLists.map((u) => u.prefixListId);
  const caveat = unknown.length ? `; prefix list${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} not in the inventory, so a route to ${unknown.length > 1 ? 'them' : 'it'} may win instead` : '';
  const c = lookup.chosen;
  if (!c) return `${lookup.routeTableId} has no route to ${lookup.destination}${caveat}`;
  const how = c.via === 'prefix-list' ? `its prefix list ${c.prefixListId} holds ${c.matchedCidr}` : `${c.matchedCidr} matches`;
  const ties = c.tiedWith.length ? `; tied with ${c.tiedWith.map(describeRoute).join(', ')}, AWS uses one of them` : '';
  const drop = c.blackhole ? '; the route is a blackhole: traffic is dropped' : '';
  return `${lookup.routeTableId} sends ${lookup.destination} by ${describeRoute(c.route)} (${how}, /${c.prefixLength})${drop}${ties}${caveat}`;
}
