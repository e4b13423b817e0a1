// Synthesizes the deployable stack for the test files of one jest worker, outside their sandboxes.
//
// Jest gives each test file a module registry of its own, so every file that needed a variant the run's synth
// cache (synth.ts) did not hold yet loaded cdktf, the provider bindings and the stack again: about 420 modules,
// 0.3-0.4 CPU-seconds a file, and in `npm run test:unit` eight files loaded them for nothing else. The test
// environment (environment.js) hands each file this worker's synthesizer instead: cdktf and the provider
// bindings are loaded once per worker, the stack's sources (src/, by the app's own loader,
// scripts/swc-register.js) again whenever they changed, so `jest --watch` never synthesizes stale code. Props go
// in as JSON text and the synthesized JSON text comes out: nothing but strings crosses between the realms.
// synth-cache.test.ts checks it against the file's own synthesis, byte for byte.
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

/** The property of a test file's global that holds the synthesizer (read by synth.ts). */
const WORKER_SYNTH_GLOBAL = "__mixpanelS3ExportWorkerSynth";

const ROOT = path.join(__dirname, "..", "..");
const SRC = path.join(ROOT, "src");
const STACK_MODULE = path.join(SRC, "stacks", "mixpanel-s3-export-stack.ts");

/** A hash of every file under a folder (src/), paths and contents. */
function sourcesFingerprint(dir = SRC) {
  const hash = crypto.createHash("sha256");
  const entries = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  const files = entries.map((entry) => path.join(entry.parentPath ?? entry.path, entry.name)).sort();
  for (const file of files) hash.update(`${file}\0`).update(fs.readFileSync(file)).update("\0");
  return hash.digest("hex");
}

/** What this worker has loaded: cdktf once, the stack's sources for one fingerprint. */
let loaded;

/** cdktf's Testing and the stack class, the sources loaded again when they are not the ones loaded. */
function stackModules() {
  const fingerprint = sourcesFingerprint();
  if (loaded?.fingerprint !== fingerprint) {
    require(path.join(ROOT, "scripts", "swc-register.js"));
    for (const file of Object.keys(require.cache)) {
      if (file.startsWith(`${SRC}${path.sep}`)) delete require.cache[file];
    }
    loaded = {
      fingerprint,
      Testing: require("cdktf").Testing,
      MixpanelS3ExportStack: require(STACK_MODULE).MixpanelS3ExportStack,
    };
  }
  return loaded;
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug"];

/**
 * The synthesizer for one test file, as synth.ts's `synthesize` does it there. While it runs, this realm's
 * console writes to the test file's (so a warning the stack prints is the file's, as it would be there), and
 * stack traces are rendered by node's default rather than jest's source mapping (see environment.js). The
 * sources are checked for changes at the file's first synthesis.
 *
 * @param {{ console: Console }} sandbox the test file's global
 * @returns {(propsJson: string) => string}
 */
function workerSynthesizer(sandbox) {
  let modules;
  return (propsJson) => {
    modules ??= stackModules();
    const { Testing, MixpanelS3ExportStack } = modules;
    const saved = { console: CONSOLE_METHODS.map((method) => console[method]), prepareStackTrace: Error.prepareStackTrace };
    for (const method of CONSOLE_METHODS) console[method] = (...args) => sandbox.console[method](...args);
    Error.prepareStackTrace = undefined;
    try {
      return Testing.synth(new MixpanelS3ExportStack(Testing.app(), "test", JSON.parse(propsJson)));
    } finally {
      CONSOLE_METHODS.forEach((method, i) => (console[method] = saved.console[i]));
      Error.prepareStackTrace = saved.prepareStackTrace;
    }
  };
}

module.exports = { WORKER_SYNTH_GLOBAL, sourcesFingerprint, workerSynthesizer };
