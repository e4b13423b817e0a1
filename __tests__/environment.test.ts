import * as fs from "fs";
import * as vm from "vm";

/**
 * The test environment (support/environment.js): a stack trace captured onto a plain object, as cdktf captures
 * one for every token, is rendered as node renders it outside jest, unmapped; an error keeps jest's rendering,
 * its frames mapped back to the TypeScript source. And the worker hands V8's code cache of a module it compiled
 * to the next compilation of the same source.
 */

/** Line and column (1-based) of `text` in this file's TypeScript source. */
function sourcePosition(text: string): string {
  const lines = fs.readFileSync(__filename, "utf8").split("\n");
  const line = lines.findIndex((l) => l.includes(text));
  return `${line + 1}:${lines[line].indexOf(text) + 1}`;
}

/** The position (`line:column`) of the first frame of a stack, in this file. */
const firstFrame = (stack: string): string => /environment\.test\.ts:(\d+:\d+)\)$/.exec(stack.split("\n")[1])?.[1] ?? stack;

test("an error's stack points into the TypeScript source; a trace captured onto a plain object is node's own, unmapped", () => {
  // The annotations before each capture are stripped by swc, which moves the capture to another column of the
  // compiled code: only a frame mapped back through the source map lands on the column written here.
  const before: Record<string, number> = {}; const error = new Error("mapped");
  const capture: { stack: string } = { stack: "" }; Error.captureStackTrace(capture);
  expect(before).toEqual({});
  expect(error.stack!.split("\n")[0]).toBe("Error: mapped");
  expect(firstFrame(error.stack!)).toBe(sourcePosition('new Error("mapped")'));
  expect(capture.stack.split("\n")[0]).toBe("Error");
  expect(firstFrame(capture.stack)).toMatch(/^\d+:\d+$/);
  expect(firstFrame(capture.stack)).not.toBe(sourcePosition("Error.captureStackTrace(capture)"));
});

test("a source compiled again in this worker gets the code cache of its first compilation; a changed source does not", () => {
  type Compiled = ReturnType<typeof vm.compileFunction> & { cachedDataProduced?: boolean; cachedDataRejected?: boolean };
  const compile = (code: string) => vm.compileFunction(code, ["a"], { filename: `/code-cache-test/${process.pid}.js` }) as Compiled;
  const source = `return a * ${Date.now()};`;
  const first = compile(source);
  expect([first.cachedDataProduced, first.cachedDataRejected]).toEqual([true, undefined]);
  const again = compile(source);
  expect(again.cachedDataRejected).toBe(false);
  expect(again(6)).toBe(first(6));
  const changed = compile(`${source} // changed`);
  expect([changed.cachedDataProduced, changed.cachedDataRejected]).toEqual([true, undefined]);
});
