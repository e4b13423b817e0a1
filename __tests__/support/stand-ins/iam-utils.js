// What iam-simulate's `require("@cloud-copilot/iam-utils")` gets in a test file (jest.config.js,
// moduleNameMapper): the real module, with one pure function remembered.
//
// For every simulated request, iam-simulate asks `mostSpecificMatchingResourceTypePatterns` which of the
// action's resource types (ARN patterns from iam-data) the request's resource is, and answers by building and
// intersecting automata each time. The answer depends on nothing but the two arguments, and the IAM tier asks
// the same few questions over and over (counted: glue-redshift.test.ts 978 times, 29 distinct questions;
// s3-access.test.ts 928, 15; kms.test.ts 392, 6; assume-role.test.ts 366, 4), so each answer is kept (per test
// file) and a copy handed out. The IAM tier alone went from 7.4 to 6.6 CPU-seconds (mean of 4 runs each way).
// Every request is still simulated whole: the policies, their statements and conditions are evaluated as
// before. stand-ins.test.ts checks that the kept answers are the real function's, and that the function still
// takes the two arguments it is kept by.
"use strict";

const real = require("mixpanel-s3-export-real/iam-utils");

/** Answers by `resource \0 pattern \0 pattern …` (neither an ARN nor a pattern holds a NUL). */
const answers = new Map();

module.exports = {
  ...real,
  mostSpecificMatchingResourceTypePatterns(resource, patterns) {
    const key = [resource, ...patterns].join("\0");
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = real.mostSpecificMatchingResourceTypePatterns(resource, patterns);
      answers.set(key, answer);
    }
    return [...answer];
  },
};
// As the real module's CommonJS build marks itself (spread leaves out what is not enumerable).
Object.defineProperty(module.exports, "__esModule", { value: true });
