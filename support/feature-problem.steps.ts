// The stand-in scenario of a feature file cucumber.js left out because it does not parse
// (support/feature-plan.js): it fails with the file, the line and what to write, and the run exits 2.
import { Given } from '@cucumber/cucumber';
import { PlainError } from './errors';
import { exitWithUsageError } from './exit-code';
import { describeProblem, FEATURE_PROBLEM_STEP, plainParseError } from './feature-problems';

Given(FEATURE_PROBLEM_STEP, function (n: number) {
  const problems = JSON.parse(process.env.PREFLIGHT_FEATURE_PROBLEMS ?? '[]') as { uri: string; message: string }[];
  const problem = problems[n - 1];
  exitWithUsageError();
  throw new FeatureFileError(problem ? describeProblem(plainParseError(problem.uri, problem.message)) : `feature file problem ${n} is not known to this run`);
});

class FeatureFileError extends PlainError {
  override name = 'FeatureFileError';
}
