// Exit code 2 for a run whose input was broken (a snapshot that cannot be read, a feature file that
// does not parse, a step that matches nothing), set as the process ends so that every formatter
// has written its report first. Only for the cucumber-js command: a program that runs Cucumber
// through its API (the tests, bin/run-targets.ts) decides its own exit code.
import { USAGE_EXIT_CODE } from './errors';

let marked = false;
let seen = 0;

/** How many broken inputs this process has met: a program running Cucumber through its API compares it before and after a run. */
export function usageErrorsSeen(): number {
  return seen;
}

function runByCucumberCli(): boolean {
  return /[\\/]@cucumber[\\/]cucumber[\\/]bin[\\/]/.test(require.main?.filename ?? '');
}

export function exitWithUsageError(): void {
  seen++;
  if (marked || !runByCucumberCli()) return;
  marked = true;
  process.on('exit', () => {
    process.exitCode = USAGE_EXIT_CODE;
  });
}
