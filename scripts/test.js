#!/usr/bin/env node
// `npm test`: the type-check (`tsc --noEmit --incremental`) and the whole jest run, every tier, side by side rather than
// one after the other. tsc needs about 12 CPU-seconds and the terraform tier spends much of its time waiting
// on terraform, so tsc fits beside jest (at a lower priority, so it takes what jest leaves). Arguments go to
// jest (`npm test -- __tests__/iam`); tsc always checks the whole project. Exits non-zero when either fails.
//
// `npm run test:unit` (`--unit`): jest alone, without the tiers that need more than node (MIXPANEL_UNIT_ONLY=1),
// and with V8's top optimizing compiler, TurboFan, off (`node --max-opt=2`; node 20 leaves Maglev off too, so
// there only the interpreter and the baseline compiler run). These tiers run most of their code a few times:
// TurboFan's background compilations cost more CPU than the optimized code saves, and on two cores they take it
// from the workers. Measured on node 20, test:unit, 23 runs each way taken in turns: median wall time 8.5 s
// instead of 9.1 s (faster in 16 of the 23 pairs), 15.5 instead of 16.9 CPU-seconds on average. `npm test` keeps
// node's defaults: its tiers mostly wait on terraform and npm, and two runs each way took as long (81-86 s).
// V8 flags must stay on node's command line: node refuses them in NODE_OPTIONS.
//
// jest's output streams as it runs. tsc's result goes to a file named by MIXPANEL_TYPECHECK_RESULT; the
// summary reporter waits for it and prints it (tsc's errors whole) between the per-tier wall times and the
// closing `N passed, M failed, K skipped` line, so the run still ends with that line. If jest never got to
// its summary (it failed to start), this script prints the result itself.
"use strict";

const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { writeWhole } = require("./write-whole");

const children = new Set();

// tsc's record of what it checked (by hash of each file), kept across runs: a run after a small change
// re-checks what the change can affect, about 6 CPU-seconds instead of 15. A fresh clone checks everything.
const TSC_BUILD_INFO = path.join(__dirname, "..", "node_modules", ".cache", "mixpanel-s3-export-tsc", "tsconfig.tsbuildinfo");

/** The node flags `--unit` runs jest with (see above). */
const UNIT_NODE_FLAGS = ["--max-opt=2"];

/**
 * Runs a node script; resolves with its exit code (1 when it died of a signal or could not start, then saying
 * why) and, if captured, its output.
 */
function run(script, args, { capture = false, nice = 0, env = process.env, nodeFlags = [] } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, script, ...args], { env, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit" });
    children.add(child);
    let output = "";
    if (capture) {
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
    }
    if (nice) {
      try {
        os.setPriority(child.pid, nice);
      } catch {
        // Not permitted here: it keeps the normal priority.
      }
    }
    child.on("error", (error) => {
      if (!capture) process.stderr.write(`${path.basename(script)} could not start: ${error.message}\n`);
      resolve({ code: 1, output: `${output}${error.message}\n` });
    });
    child.on("close", (code) => {
      children.delete(child);
      resolve({ code: code ?? 1, output });
    });
  });
}

// Interrupted or stopped: pass it on, so no tsc or jest worker outlives this script.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

/** `--unit`: jest alone, the tiers that need nothing but node. */
async function unitOnly(args) {
  const jest = await run(require.resolve("jest/bin/jest"), args, {
    env: { ...process.env, MIXPANEL_UNIT_ONLY: "1" }, nodeFlags: UNIT_NODE_FLAGS,
  });
  process.exit(jest.code);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-s3-export-typecheck-"));
  const resultFile = path.join(dir, "tsc.json");
  const started = Date.now();
  const typecheck = run(require.resolve("typescript/bin/tsc"), ["--noEmit", "--incremental", "--tsBuildInfoFile", TSC_BUILD_INFO], { capture: true, nice: 10 }).then((result) => {
    const took = `${((Date.now() - started) / 1000).toFixed(1)} s, beside jest`;
    const errors = (result.output.match(/error TS\d+:/g) ?? []).length;
    const text = result.code === 0
      ? `type-check: tsc --noEmit found no errors (${took})`
      : `type-check FAILED: tsc --noEmit exited ${result.code} with ${errors} errors (${took}):\n${result.output.trimEnd()}`;
    // The reporter never reads half of it.
    writeWhole(resultFile, JSON.stringify({ text }));
    return { code: result.code, text };
  });
  const jest = await run(require.resolve("jest/bin/jest"), process.argv.slice(2), {
    env: { ...process.env, MIXPANEL_TYPECHECK_RESULT: resultFile },
  });
  const tsc = await typecheck;
  // The reporter removes the file once it has printed the result.
  if (fs.existsSync(resultFile)) process.stderr.write(`\n${tsc.text}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(jest.code !== 0 ? jest.code : tsc.code);
}

if (process.argv[2] === "--unit") unitOnly(process.argv.slice(3));
else main();
