// Address math for routes, security groups and NACLs, all of it done by ipaddr.js.
// An IPv4 range never contains, covers or overlaps an IPv6 one: AWS keeps the two families apart
// in route tables, rules and NACL entries alike.
import ipaddr from 'ipaddr.js';

export type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type Family = 'ipv4' | 'ipv6';

/** A parsed CIDR block (or a single address seen as its /32 or /128 range). */
export interface Cidr {
  /** As written, e.g. "10.0.1.0/24"; for an address, the address with its host prefix. */
  text: string;
  /** The network address (host bits cleared), so two spellings of one block compare equal. */
  network: Address;
  prefixLength: number;
  family: Family;
}

/**
 * A remote endpoint of some traffic: a single address ("52.219.204.42", "2600:1f18::5") or a
 * CIDR range ("10.0.20.0/24", an endpoint's subnet). Ranges stand for "any address in it".
 */
export type Remote = string;

/** Dotted-quad IPv4 only: ipaddr.parse would also take "10" or "0x0a.1", which no AWS API returns. */
function isAddressText(text: string): boolean {
  return text.includes(':') ? ipaddr.IPv6.isValid(text) : ipaddr.IPv4.isValidFourPartDecimal(text);
}

function isCidrText(text: string): boolean {
  return text.includes(':') ? ipaddr.IPv6.isValidCIDR(text) : ipaddr.IPv4.isValidCIDRFourPartDecimal(text);
}

export function isAddress(text: string): boolean {
  return isAddressText(text.trim());
}

export function isCidr(text: string): boolean {
  return isCidrText(text.trim());
}

// Parsed blocks and addresses, by their text. The checks ask about the same few thousand ranges
// (subnets, rules, entries, prefix lists) hundreds of thousands of times; parsing each once keeps
// ipaddr.js off the profile. Parsed values are never changed, so sharing them is safe. The cap only
// guards a long-lived process that sees endless distinct inputs.
const CACHE_LIMIT = 100_000;
const cidrCache = new Map<string, Cidr>();
const addressCache = new Map<string, Address>();

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** Parse one IP address; throws an Error that quotes the bad input. */
export function parseAddress(text: string): Address {
  const t = text.trim();
  const known = addressCache.get(t);
  if (known) return known;
  if (!isAddressText(t)) throw new Error(`not an IPv4 or IPv6 address: "${text}"`);
  // The family's own parser: ipaddr.parse tries IPv6 first, which costs an exception per IPv4 address.
  return remember(addressCache, t, t.includes(':') ? ipaddr.IPv6.parse(t) : ipaddr.IPv4.parse(t));
}

function networkOf(text: string, family: Family): Address {
  return family === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
}

/** Parse a CIDR block ("10.0.0.0/16", "::/0"); throws an Error that quotes the bad input. */
export function parseCidr(text: string): Cidr {
  const t = text.trim();
  const known = cidrCache.get(t);
  if (known) return known;
  if (!isCidrText(t)) throw new Error(`not an IPv4 or IPv6 CIDR block: "${text}"`);
  // As for addresses: ipaddr.parseCIDR tries IPv6 first and throws for every IPv4 block.
  const family: Family = t.includes(':') ? 'ipv6' : 'ipv4';
  const prefixLength = (family === 'ipv4' ? ipaddr.IPv4.parseCIDR(t) : ipaddr.IPv6.parseCIDR(t))[1];
  return remember(cidrCache, t, { text: t, network: networkOf(t, family), prefixLength, family });
}

/** A remote as a range: a CIDR as itself, an address as its /32 (IPv4) or /128 (IPv6). */
export function parseRemote(remote: Remote | Cidr): Cidr {
  if (typeof remote !== 'string') return remote;
  const t = remote.trim();
  if (t.includes('/')) return parseCidr(t);
  const known = cidrCache.get(t);
  if (known) return known;
  if (!isAddressText(t)) throw new Error(`not an IP address or CIDR block: "${remote}"`);
  const address = parseAddress(t);
  const prefixLength = address.kind() === 'ipv4' ? 32 : 128;
  return remember(cidrCache, t, { text: t, network: address, prefixLength, family: address.kind() });
}

function asCidr(cidr: string | Cidr): Cidr {
  return typeof cidr === 'string' ? parseCidr(cidr) : cidr;
}

function asAddress(ip: string | Address): Address {
  return typeof ip === 'string' ? parseAddress(ip) : ip;
}

export function prefixLength(cidr: string | Cidr): number {
  return asCidr(cidr).prefixLength;
}

export function familyOf(remote: Remote | Cidr): Family {
  return parseRemote(remote).family;
}

/** The number of bits in an address of the family: the longest possible prefix. */
export function maxPrefixLength(family: Family): number {
  return family === 'ipv4' ? 32 : 128;
}

/** The range that holds every address of a family: 0.0.0.0/0 or ::/0. */
export function everyAddress(family: Family): Cidr {
  return parseCidr(family === 'ipv4' ? '0.0.0.0/0' : '::/0');
}

/** Same family and the address lies in the block. */
export function cidrContainsAddress(cidr: string | Cidr, ip: string | Address): boolean {
  const block = asCidr(cidr);
  const address = asAddress(ip);
  if (address.kind() !== block.family) return false;
  return address.match(block.network, block.prefixLength);
}

/** Every address of `inner` (a CIDR or a single address) is in `outer`. */
export function cidrCoversCidr(outer: string | Cidr, inner: Remote | Cidr): boolean {
  const o = asCidr(outer);
  const i = parseRemote(inner);
  if (o.family !== i.family || o.prefixLength > i.prefixLength) return false;
  return i.network.match(o.network, o.prefixLength);
}

/** The two ranges share at least one address. CIDR blocks never partly overlap: one holds the other or they are apart. */
export function cidrsOverlap(a: Remote | Cidr, b: Remote | Cidr): boolean {
  const x = parseRemote(a);
  const y = parseRemote(b);
  if (x.family !== y.family) return false;
  const shorter = Math.min(x.prefixLength, y.prefixLength);
  return x.network.match(y.network, shorter);
}

/** The addresses both ranges hold: the more specific of the two when they overlap, else undefined. */
export function cidrIntersection(a: Remote | Cidr, b: Remote | Cidr): Cidr | undefined {
  const x = parseRemote(a);
  const y = parseRemote(b);
  if (!cidrsOverlap(x, y)) return undefined;
  return x.prefixLength >= y.prefixLength ? x : y;
}

/** The two halves of a block, one bit longer each; undefined for a single address. */
export function splitCidr(cidr: string | Cidr): [Cidr, Cidr] | undefined {
  const c = asCidr(cidr);
  if (c.prefixLength >= maxPrefixLength(c.family)) return undefined;
  const length = c.prefixLength + 1;
  const first = `${c.network.toString()}/${length}`;
  // The block's last address lies in the upper half; its network address starts that half.
  const last = c.family === 'ipv4' ? ipaddr.IPv4.broadcastAddressFromCIDR(c.text) : ipaddr.IPv6.broadcastAddressFromCIDR(c.text);
  const second = `${networkOf(`${last.toString()}/${length}`, c.family).toString()}/${length}`;
  return [parseCidr(first), parseCidr(second)];
}

/** The canonical spelling: network address and prefix, e.g. "10.0.0.0/16" for "10.0.3.7/16". */
export function canonicalCidr(cidr: Remote | Cidr): string {
  const c = parseRemote(cidr);
  return `${c.network.toString()}/${c.prefixLength}`;
}
