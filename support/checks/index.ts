// Every check's metadata by ID, for reports and the step catalogue.
import type { CheckInfo } from './finding';
import { EP_01, EP_02, EP_03, EP_04, EP_05 } from './endpoints';

export const CHECKS: ReadonlyMap<string, CheckInfo> = new Map([EP_01, EP_02, EP_03, EP_04, EP_05].map((c) => [c.id, c]));
