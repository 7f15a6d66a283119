// Every check by its stable ID (CHECKS.md section 3.2). A check, a path hop or a waiver names a
// check by `CheckId`, so that a typo such as 'NACL-1' is a compile error, not a silent pass.
export const CHECK_IDS = [
  'INV-01',
  'NET-01',
  'NET-02',
  'NET-03',
  'NET-04',
  'EP-01',
  'EP-02',
  'EP-03',
  'EP-04',
  'EP-05',
  'EP-06',
  'EP-07',
  'DNS-01',
  'DNS-02',
  'SG-01',
  'SG-02',
  'NACL-01',
  'NACL-02',
  'RT-01',
  'IAM-01',
  'IAM-02',
  'IAM-03',
  'IAM-04',
  'IAM-05',
  'TD-01',
  'TD-02',
  'TD-03',
  'IMG-01',
  'TD-04',
  'DEP-01',
  'OBS-01',
  'EVD-01',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export function isCheckId(text: string): text is CheckId {
  return (CHECK_IDS as readonly string[]).includes(text);
}

/**
 * What a finding may claim (CHECKS.md section 3.1):
 * - start: a task of the workload will not start; only where the path engine or the policy evaluator shows it;
 * - resilience: tasks start today but depend on something fragile;
 * - posture: the account departs from a policy the feature states;
 * - evidence: what the account itself recorded (stopped tasks, service events): a start error of the
 *   last hours that no finding of the run explains, which says the suite missed something.
 */
export type Kind = 'start' | 'resilience' | 'posture' | 'evidence';

export const KINDS: readonly Kind[] = ['start', 'resilience', 'posture', 'evidence'];
