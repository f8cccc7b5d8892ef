// Prints the one plain line CI reads: "N passed, N failed" (tests, not files), as the LAST line of the
// run. Jest's own summary ("Tests: …", "Ran all test suites") is printed by a reporter jest adds after
// every configured one, so this reporter is jest's summary reporter plus the line: jest.config.js lists
// the default reporter's two halves (./default-reporter.js, then this) instead of 'default'.
const { SummaryReporter } = require('@jest/reporters');

class PassedFailedSummaryReporter extends SummaryReporter {
  onRunComplete(contexts, results) {
    super.onRunComplete(contexts, results);
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = PassedFailedSummaryReporter;
