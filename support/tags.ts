// What a scenario's tags tell the suite: how severe its findings are, and whether it only warns.
// A tag that looks like a mistyped severity fails the scenario with one line, since a typo there
// would otherwise silently change how a finding is reported.
import type { Severity } from './checks/finding';
import { InputError } from './errors';
import { closest } from './util/closest';
import { CHECK_IDS, isCheckId, type CheckId } from './checks/ids';

export { SEVERITIES } from './checks/finding';
import { SEVERITIES } from './checks/finding';

/** `@warning`: the scenario reports its findings but does not fail the run. */
export const WARNING = 'warning';

export interface ScenarioTags {
  /** The severity tag, if the scenario has one; otherwise the check's own severity applies. */
  severity?: Severity;
  warningOnly: boolean;
  /** The check IDs it is tagged with (@EP-03): the checks its steps must run. */
  checkIds: CheckId[];
}

/** A tag shaped like a check ID ("@NACL-1", "@EP-3"): it must be one, or a check would be silently mislabelled. */
const CHECK_ID_SHAPE = /^[A-Za-z]{2,4}-\d+$/;

const RESERVED = [...SEVERITIES, WARNING];

export function readScenarioTags(tagNames: readonly string[]): ScenarioTags {
  const words = tagNames.map((t) => t.replace(/^@/, ''));
  for (const word of words) {
    if (RESERVED.includes(word)) continue;
    if (CHECK_ID_SHAPE.test(word) && !isCheckId(word)) {
      const suggestion = closest(word.toUpperCase(), CHECK_IDS) ?? CHECK_IDS.find((id) => id.replace(/-0*/, '-') === word.toUpperCase().replace(/-0*/, '-'));
      throw new InputError(`unknown check tag '@${word}'${suggestion ? `; did you mean '@${suggestion}'?` : ''} (check IDs are listed in docs/CHECKS.md)`);
    }
    const near = nearReservedWord(word);
    if (near) {
      throw new InputError(`unknown tag '@${word}'; did you mean '@${near}'? (severities: ${SEVERITIES.map((s) => `@${s}`).join(', ')}; @${WARNING} reports findings without failing)`);
    }
  }
  const severities = SEVERITIES.filter((s) => words.includes(s));
  if (severities.length > 1) {
    throw new InputError(`a scenario has one severity, but this one is tagged ${severities.map((s) => `@${s}`).join(' and ')} (tags on the Feature line count for every scenario): keep one`);
  }
  return { severity: severities[0], warningOnly: words.includes(WARNING), checkIds: words.filter(isCheckId) };
}

/**
 * The reserved word a tag was probably meant to be: another case (@Critical, @HIGH), or a typo of
 * the longer words (@critcal, @meduim, @warnign). Short words only match by case, so that tags
 * such as @slow or @flow stay free to use.
 */
function nearReservedWord(word: string): string | undefined {
  const lower = word.toLowerCase();
  if (RESERVED.includes(lower)) return lower;
  const long = RESERVED.filter((w) => w.length >= 6);
  return lower.length >= 5 ? closest(lower, long) : undefined;
}
