// Jest's own progress and summary, then each tier's wall time, then one closing line,
// `N passed, M failed, K skipped`, which CI reads. Jest always prints its summary after every custom
// reporter, so this reporter wraps both instead of being listed beside "default".
const { DefaultReporter, SummaryReporter } = require("@jest/reporters");
const { TIERS, tierOf } = require("./tiers");

/**
 * Each tier's wall time: from the start of its first test file to the end of its last (files of several
 * tiers run side by side, so the times overlap and add up to more than the run).
 */
function tierTimes(testResults) {
  const spans = new Map();
  for (const result of testResults) {
    const tier = tierOf(result.testFilePath);
    const span = spans.get(tier) ?? { start: Infinity, end: -Infinity, files: 0, tests: 0 };
    span.start = Math.min(span.start, result.perfStats.start);
    span.end = Math.max(span.end, result.perfStats.end);
    span.files += 1;
    span.tests += result.numPassingTests + result.numFailingTests + result.numPendingTests;
    spans.set(tier, span);
  }
  return TIERS.filter((tier) => spans.has(tier.name)).map((tier) => {
    const span = spans.get(tier.name);
    return `  ${tier.name}: ${((span.end - span.start) / 1000).toFixed(1)} s (${span.files} files, ${span.tests} tests)`;
  });
}

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
    process.stderr.write(`\nwall time per tier:\n${tierTimes(results.testResults).join("\n")}\n`);
    process.stderr.write(`\n${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`);
  }
}

module.exports = ReporterWithClosingLine;
