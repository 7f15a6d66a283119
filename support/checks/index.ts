// Every check's metadata by ID, for reports and the step catalogue.
import type { CheckInfo } from './finding';
import { EP_01, EP_02, EP_03, EP_04, EP_05 } from './endpoints';
import { PATH_CHECKS } from './paths';
import { EP_06 } from './endpoint-policy';
import { IAM_CHECKS } from './execution-role';
import { DEP_01, OBS_01, TD_01, TD_04 } from './hygiene';

export const CHECKS: ReadonlyMap<string, CheckInfo> = new Map([EP_01, EP_02, EP_03, EP_04, EP_05, EP_06, ...PATH_CHECKS, ...IAM_CHECKS, TD_01, TD_04, DEP_01, OBS_01].map((c) => [c.id, c]));
