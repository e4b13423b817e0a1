// The jest test environment: node's, with three changes for speed that change nothing a test checks.
//
// 1. How stack traces are rendered in the test files.
// cdktf records where each of its tokens was created (for its error messages) by capturing a whole stack
// trace, no frame limit, onto a plain object. In a jest sandbox every such capture is rendered by jest's
// source-map support, frame by frame through the inline source maps of cdktf and the provider bindings:
// measured, that was about 40% of every synthesis, 2.6 CPU-seconds of `npm run test:unit`. Here a trace
// captured onto an object that is not an error is rendered as node renders it outside jest (unmapped, as a
// user's `cdktf synth` renders it). Errors keep jest's rendering, so a failing test still points into the
// TypeScript sources.
//
// 2. Each module is compiled once per worker. Jest runs every test file in a fresh module registry, so a worker
// compiles cdktf, the provider bindings and the sources again for each file that loads them (`vm.compileFunction`,
// about 2.7 CPU-seconds of `npm run test:unit`). This worker keeps V8's code cache of each module it compiles
// and hands it to the next compilation of the same source; V8 checks that the source matches and otherwise
// compiles afresh (`cachedDataRejected`). The functions that come out are compiled as before.
//
// 3. Each test file gets this worker's synthesizer of the stack (worker-synth.js), which synth.ts uses for the
// variants the run's synth cache does not hold yet, so cdktf is loaded once per worker rather than once per file.
"use strict";

const vm = require("vm");
const { TestEnvironment } = require("jest-environment-node");
const { WORKER_SYNTH_GLOBAL, workerSynthesizer } = require("./worker-synth");

/** What node prints when nothing overrides the formatting: the error's toString, then one line per frame. */
function nodeDefault(error, frames) {
  return Error.prototype.toString.call(error) + frames.map((frame) => `\n    at ${frame}`).join("");
}

const compileFunction = vm.compileFunction;
/** Per file name and parameters: the source compiled and V8's code cache of it. */
const codeCache = new Map();
vm.compileFunction = function compileWithCodeCache(code, params, options = {}) {
  // A function compiled from a code cache loses its importModuleDynamically callback (node 20): a module
  // with a dynamic import() is always compiled afresh.
  if (options.cachedData !== undefined || options.produceCachedData || /\bimport\s*\(/.test(code)) return compileFunction(code, params, options);
  const key = `${options.filename}\0${(params ?? []).join(",")}`;
  const cached = codeCache.get(key);
  if (cached !== undefined && cached.code === code) {
    const compiled = compileFunction(code, params, { ...options, cachedData: cached.data });
    if (!compiled.cachedDataRejected) return compiled;
  }
  const compiled = compileFunction(code, params, { ...options, produceCachedData: true });
  if (compiled.cachedDataProduced) codeCache.set(key, { code, data: compiled.cachedData });
  return compiled;
};

class MixpanelTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const SandboxError = this.global.Error;
    // Node asks the Error of the realm an object was made in first, so this sees every capture in the test
    // files. Jest installs its source-mapping formatter on this (outer) realm's Error after the environment
    // is made: it is looked up at each call.
    SandboxError.prepareStackTrace = (error, frames) =>
      error instanceof SandboxError && typeof Error.prepareStackTrace === "function"
        ? Error.prepareStackTrace(error, frames)
        : nodeDefault(error, frames);
    this.global[WORKER_SYNTH_GLOBAL] = workerSynthesizer(this.global);
  }
}

module.exports = MixpanelTestEnvironment;
