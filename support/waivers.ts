// Waivers: a team accepts a known finding for one named resource, with a reason and an expiry
// date. A waived finding is shown in the reports but does not fail its scenario; once the waiver
// has expired the finding fails again, saying so. The file is checked when it is read, and a
// mistake in it ends the run with one line (exit code 2): a waiver that silently matches nothing
// would be worse than none.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from './checks/finding';
import { UsageError } from './errors';
import { closest } from './util/closest';

export interface Waiver {
  /** The check ID, as in the reports: "EP-05". */
  check: string;
  /** One resource the finding names: "rtb-0c10e5b1a2b3c4d5b", "vpce-…", "subnet-…", "sg-…". */
  resource: string;
  /** Why the team accepts it, for whoever reads the report. */
  reason: string;
  /** The last day the waiver holds, YYYY-MM-DD. */
  expires: string;
}

/** How a waiver bears on one finding. */
export type WaiverStatus = { kind: 'waived'; waiver: Waiver } | { kind: 'expired'; waiver: Waiver };

/** The waivers file at the repository root, used unless PREFLIGHT_WAIVERS or the `waivers` world parameter names another. */
export const DEFAULT_WAIVERS_FILE = path.resolve(__dirname, '..', 'waivers.json');

const FIELDS: (keyof Waiver)[] = ['check', 'resource', 'reason', 'expires'];

/** Today's date where the suite runs, YYYY-MM-DD (waivers hold through their expiry day, local time). */
export function localDate(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function isDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Parses and checks a waivers file's text; every mistake is one line naming the file and the waiver. */
export function parseWaivers(text: string, source: string, knownChecks: readonly string[]): Waiver[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`waivers file ${source} is not valid JSON: ${(error as Error).message}`);
  }
  const list = (data as { waivers?: unknown } | null)?.waivers;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !Array.isArray(list)) {
    throw new UsageError(`waivers file ${source} must hold an object with a "waivers" list: { "waivers": [ { "check": …, "resource": …, "reason": …, "expires": … } ] }`);
  }
  for (const key of Object.keys(data)) {
    if (key !== 'waivers') throw new UsageError(`waivers file ${source}: unknown top-level field "${key}" (only "waivers" is allowed)`);
  }
  return list.map((entry, i) => checkWaiver(entry, `waivers file ${source}, waiver ${i + 1}`, knownChecks));
}

function checkWaiver(entry: unknown, where: string, knownChecks: readonly string[]): Waiver {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new UsageError(`${where}: must be an object with ${FIELDS.join(', ')}`);
  }
  const record = entry as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if ((FIELDS as string[]).includes(key)) continue;
    const near = closest(key, FIELDS);
    throw new UsageError(`${where}: unknown field "${key}"${near ? `; did you mean "${near}"?` : ''} (fields: ${FIELDS.join(', ')})`);
  }
  for (const field of FIELDS) {
    const value = record[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new UsageError(`${where}: "${field}" is ${value === undefined ? 'missing' : 'empty or not text'} (every waiver needs ${FIELDS.join(', ')})`);
    }
  }
  const waiver = record as unknown as Waiver;
  if (!knownChecks.includes(waiver.check)) {
    const near = closest(waiver.check.toUpperCase(), knownChecks);
    throw new UsageError(`${where}: unknown check "${waiver.check}"${near ? `; did you mean "${near}"?` : ''}`);
  }
  if (/\s/.test(waiver.resource)) throw new UsageError(`${where}: "resource" is one resource ID, without spaces (got "${waiver.resource}")`);
  if (!isDate(waiver.expires)) throw new UsageError(`${where}: "expires" must be a date written YYYY-MM-DD, such as 2026-12-31 (got "${waiver.expires}")`);
  return { check: waiver.check, resource: waiver.resource, reason: waiver.reason.trim(), expires: waiver.expires };
}

/** Reads a waivers file. The default file may be absent (no waivers); a file someone named must exist. */
export function readWaivers(file: string, named: boolean, knownChecks: readonly string[]): Waiver[] {
  const shown = path.relative(process.cwd(), file) || file;
  if (!existsSync(file)) {
    if (!named) return [];
    throw new UsageError(`waivers file ${shown} does not exist: check PREFLIGHT_WAIVERS (or the "waivers" world parameter)`);
  }
  return parseWaivers(readFileSync(file, 'utf8'), shown, knownChecks);
}

/** The waiver that bears on a finding, if any: one in force first, else the one that expired last. */
export function waiverStatus(finding: Finding, waivers: readonly Waiver[], today: string): WaiverStatus | undefined {
  // A waiver names a resource of the finding, or its workload as the line shows it ("cluster/service").
  const matching = waivers.filter((w) => w.check === finding.checkId && (finding.resourceIds.includes(w.resource) || finding.workload.split(', ').includes(w.resource)));
  const inForce = matching.find((w) => w.expires >= today);
  if (inForce) return { kind: 'waived', waiver: inForce };
  const expired = matching.sort((a, b) => b.expires.localeCompare(a.expires))[0];
  return expired && { kind: 'expired', waiver: expired };
}
