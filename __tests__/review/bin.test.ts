import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ProcessResult, runProcess } from "../support/child-process";
import { baseProps } from "../support/synth";
import { synthOut, tempDir } from "./helpers";

/** The real launcher, spawned as `npx mixpanel-s3-export` runs it: exit codes, speed, and what it loads. */

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "mixpanel-s3-export.js");

/** Runs the bin as a process of its own; several runs go side by side. */
function run(args: string[], bin = BIN): Promise<ProcessResult> {
  return runProcess(process.execPath, [bin, ...args], { cwd: ROOT, timeout: 30000 });
}

// How quick it is belongs to the bench (`npm run bench -- review`), not to a timed test.
test("the bin exits 0 without widening, 1 with widening, 2 on unusable input", async () => {
  const [base, tlsOff, tagged] = [synthOut(baseProps()), synthOut(baseProps({ tlsOnly: false })), synthOut(baseProps({ tags: { team: "data" } }))];
  const missing = path.join(tempDir(), "nope");
  const runs = await Promise.all([
    run(["review", base]),
    run(["review", "--base", base, "--head", tagged]),
    run(["review", "--base", base, "--head", tlsOff]),
    run(["review", "--base", base, "--head", missing]),
  ]);
  expect(runs.map((r) => r.code)).toEqual([0, 0, 1, 2]);
  expect(runs[0].stdout).toMatch(/^# What this stack grants Mixpanel\n/);
  expect(runs[2].stdout).toContain("- **⚠ widening** · bucket `acme-mixpanel-export`: TLS-only bucket policy");
  expect(runs[3].stderr).toBe(`mixpanel-s3-export review: ${missing}: no such file or folder\n`);
});

test("the review never loads cdktf, constructs or the AWS provider bindings", () => {
  const out = synthOut(baseProps({ encryption: "KMS", createKmsKey: true }));
  const script = [
    `require(${JSON.stringify(path.join(ROOT, "scripts", "swc-register.js"))});`,
    `const { runCli } = require(${JSON.stringify(path.join(ROOT, "src", "cli", "review.ts"))});`,
    `runCli(["review", ${JSON.stringify(out)}], { stdout() {}, stderr() {} });`,
    "process.stdout.write(JSON.stringify(Object.keys(require.cache)));",
  ].join("\n");
  const result = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
  const loaded = JSON.parse(result.stdout) as string[];
  expect(loaded.filter((file) => /node_modules[\\/](cdktf|@cdktf|constructs)[\\/]/.test(file))).toEqual([]);
  expect(loaded.some((file) => file.endsWith(path.join("src", "review", "model.ts")))).toBe(true);
});

test("a checkout compiles each TypeScript source once: an unchanged one is read back without loading swc, a changed one is compiled again", async () => {
  const dir = tempDir();
  const [source, cache] = [path.join(dir, "answer.ts"), path.join(dir, "cache")];
  fs.writeFileSync(source, 'export const answer: string = "first";\n');
  const load = (...args: string[]) => runProcess(process.execPath, [path.join(ROOT, "__tests__", "fixtures", "load-typescript.js"), source, ...args],
    { cwd: ROOT, env: { ...process.env, MIXPANEL_SWC_CACHE: cache } });
  const first = await load();
  const second = await load("second");
  expect([first.code, JSON.parse(first.stdout)]).toEqual([0, [["first", true]]]);
  expect([second.code, JSON.parse(second.stdout)]).toEqual([0, [["first", false], ["second", true]]]);
  expect(fs.readdirSync(cache)).toHaveLength(2);
});

test("a published package (no TypeScript sources) runs the compiled dist/src/cli/main.js", async () => {
  const pkg = tempDir();
  fs.mkdirSync(path.join(pkg, "bin"));
  fs.copyFileSync(BIN, path.join(pkg, "bin", "mixpanel-s3-export.js"));
  fs.mkdirSync(path.join(pkg, "dist", "src", "cli"), { recursive: true });
  fs.writeFileSync(path.join(pkg, "dist", "src", "cli", "main.js"),
    "exports.runCli = (argv) => { process.stdout.write(`compiled ${argv.join(' ')}`); return 1; };\n");
  const result = await run(["review", "x"], path.join(pkg, "bin", "mixpanel-s3-export.js"));
  expect([result.code, result.stdout]).toEqual([1, "compiled review x"]);
});

test("--help prints the usage and exits 0", async () => {
  const result = await run(["review", "--help"]);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^Usage:\n {2}mixpanel-s3-export review \[<path>\]/);
});
