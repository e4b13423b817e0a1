// Jest's own progress and summary, then one closing line, `N passed, M failed, K skipped`, which CI reads.
// Jest always prints its summary after every custom reporter, so this reporter wraps both instead of
// being listed beside "default".
const { DefaultReporter, SummaryReporter } = require("@jest/reporters");

class ReporterWithClosingLine extends DefaultReporter {
  constructor(globalConfig, options, context) {
    super(globalConfig);
    this.summary = new SummaryReporter(globalConfig, options);
  }

  onRunStart(results, options) {
    super.onRunStart(results, options);
    this.summary.onRunStart(results, options);
  }

  async onRunComplete(testContexts, results) {
    await super.onRunComplete?.(testContexts, results);
    await this.summary.onRunComplete(testContexts, results);
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stderr.write(`\n${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`);
  }
}

module.exports = ReporterWithClosingLine;
