// Jest's own progress and summary, then each tier's wall time, then (under `npm test`) the type-check's
// result, then one closing line, `N passed, M failed, K skipped`, which CI reads. Jest always prints its
// summary after every custom reporter, so this reporter wraps both instead of being listed beside "default".
"use strict";

const fs = require("fs");
const { DefaultReporter, SummaryReporter } = require("@jest/reporters");
const { TIERS, tierOf } = require("./tiers");

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * One line per tier that ran: its wall time, from the start of its first test file (the worker loading the
 * file's environment) to the end of its last, when that was in the run (seconds after `runStart`), and the
 * time its files took one by one. Files of several tiers run side by side on jest's workers, so the spans
 * overlap and add up to more than the run, and a tier's files can take longer together than its span. A
 * file that failed to run has no times: it is counted, and the tier says so, but it stretches nothing.
 *
 * @param {ReadonlyArray<{ testFilePath: string, perfStats: { start: number, end: number, loadTestEnvironmentStart?: number },
 *   numPassingTests: number, numFailingTests: number, numPendingTests: number }>} testResults
 * @param {number} runStart when the run started (ms since the epoch)
 * @returns {string[]}
 */
function tierTimes(testResults, runStart) {
  const spans = new Map();
  for (const result of testResults) {
    const tier = tierOf(result.testFilePath);
    const span = spans.get(tier) ?? { start: Infinity, end: -Infinity, inFiles: 0, files: 0, tests: 0, unrun: 0 };
    const start = result.perfStats.loadTestEnvironmentStart || result.perfStats.start;
    if (start > 0 && result.perfStats.end >= start) {
      span.start = Math.min(span.start, start);
      span.end = Math.max(span.end, result.perfStats.end);
      span.inFiles += result.perfStats.end - start;
    } else {
      span.unrun += 1;
    }
    span.files += 1;
    span.tests += result.numPassingTests + result.numFailingTests + result.numPendingTests;
    spans.set(tier, span);
  }
  const at = (ms) => ((ms - runStart) / 1000).toFixed(1);
  return TIERS.filter((tier) => spans.has(tier.name)).map((tier) => {
    const span = spans.get(tier.name);
    const wall = span.end >= span.start ? `${seconds(span.end - span.start)}, from ${at(span.start)} to ${at(span.end)} s` : "no time";
    const unrun = span.unrun ? `, ${span.unrun} failed to run` : "";
    return `  ${tier.name}: ${wall} (${span.files} files, ${span.tests} tests${unrun}; ${seconds(span.inFiles)} in its files)`;
  });
}

/** How long the summary waits for a type-check still running: far longer than tsc ever takes here. */
const TYPECHECK_WAIT_MS = 10 * 60 * 1000;

/**
 * The type-check's result, left by scripts/test.js (which runs tsc beside jest) in the file that
 * MIXPANEL_TYPECHECK_RESULT names; waits for tsc when it is still running. Removes the file: it is printed.
 */
async function typecheckText() {
  const file = process.env.MIXPANEL_TYPECHECK_RESULT;
  if (!file) return undefined;
  const deadline = Date.now() + TYPECHECK_WAIT_MS;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) return `type-check: no result in ${file} after ${seconds(TYPECHECK_WAIT_MS)}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { text } = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.rmSync(file);
  return text;
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
    const run = `the whole jest run: ${seconds(Date.now() - results.startTime)}`;
    process.stderr.write(`\nwall time per tier (${run}):\n${tierTimes(results.testResults, results.startTime).join("\n")}\n`);
    const typecheck = await typecheckText();
    if (typecheck) process.stderr.write(`\n${typecheck}\n`);
    process.stderr.write(`\n${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`);
  }
}

module.exports = ReporterWithClosingLine;
module.exports.tierTimes = tierTimes;
