/**
 * The node versions tier: the README's commands whose behaviour can depend on the Node.js version, run on each
 * supported LTS line (support/node-versions.ts) exactly as a user types them, and compared whole with the same
 * commands run on the node that runs the tests: `npm run synth` (good and bad settings), `review` of a synth and
 * of a change, `adopt`, and `npm run build:module`; and the plan-review workflow's synth step on the newest line. Each line's node is put first on PATH, so npm, the scripts
 * and the bin all run on it. The cdktf CLI has its own tier (synth-cli.test.ts); the packed libraries in the
 * consumer apps are run on each line by the library consumer tier.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProcessResult, runProcess, settingsEnv } from "./support/child-process";
import { NODE_LINES, NodeBinary, describeNodeVersions, nodeBinary, withNode } from "./support/node-versions";
import { baseProps } from "./support/synth";
import { synthOut } from "./review/helpers";
import { WORKFLOWS, loadWorkflow, runStep, stepsOf } from "./support/workflows";

const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, "bin", "mixpanel-s3-export.js");
/** A first run installs each node from the npm registry (30 MB each). */
const INSTALL_TIMEOUT_MS = 5 * 60 * 1000;

const GOOD = { MIXPANEL_BUCKET: "acme-node-versions", MIXPANEL_ENCRYPTION: "KMS", MIXPANEL_CREATE_KMS_KEY: "true" };
const BAD = { MIXPANEL_BUCKET: "Bad_Bucket", MIXPANEL_ENCRYPTION: "FOO" };
const ADOPT = ["adopt", "--module", "module.mixpanel", "--bucket", "acme-node-versions", "--encryption", "AES", "--role", "mixpanel-export"];

/** What one node made of the commands; `dir` holds what they wrote. */
interface Runs {
  readonly version: string;
  readonly synth: ProcessResult;
  readonly stack: string;
  readonly badSynth: ProcessResult;
  readonly badOutdirExists: boolean;
  readonly review: ProcessResult;
  readonly reviewChange: ProcessResult;
  readonly adopt: ProcessResult;
  readonly buildModule: ProcessResult;
  readonly module: Record<string, string>;
}

/** Every file below `dir`, by relative path. */
function filesBelow(dir: string, prefix = ""): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(prefix, entry.name);
    return entry.isDirectory() ? Object.entries(filesBelow(dir, file)) : [[file, fs.readFileSync(path.join(dir, file), "utf8")]];
  }));
}

/** The README's commands, run with `env` (its PATH decides the node) in a folder of `work`'s own. */
async function runCommands(version: string, env: NodeJS.ProcessEnv, work: string, change: { base: string; head: string }): Promise<Runs> {
  const dir = fs.mkdtempSync(path.join(work, `node-${version}-`));
  const [outdir, badOutdir, moduleDir] = ["cdktf.out", "bad.out", "module"].map((name) => path.join(dir, name));
  const npm = (args: string[], settings: Record<string, string> = {}) =>
    runProcess("npm", ["run", "--silent", ...args], { cwd: ROOT, env: settingsEnv({ ...settings }, env), timeout: 120_000 });
  const bin = (args: string[]) => runProcess("node", [BIN, ...args], { cwd: ROOT, env: settingsEnv({}, env), timeout: 60_000 });
  const [synth, badSynth, adopt, buildModule, reviewChange] = await Promise.all([
    npm(["synth"], { ...GOOD, CDKTF_OUTDIR: outdir }),
    npm(["synth"], { ...BAD, CDKTF_OUTDIR: badOutdir }),
    bin(ADOPT),
    npm(["build:module", "--", moduleDir]),
    bin(["review", "--base", change.base, "--head", change.head]),
  ]);
  const review = await bin(["review", outdir]);
  return {
    version, synth, badSynth, adopt, buildModule, reviewChange, review,
    stack: fs.readFileSync(path.join(outdir, "stacks", "mixpanel-s3-export", "cdk.tf.json"), "utf8"),
    badOutdirExists: fs.existsSync(badOutdir),
    module: filesBelow(moduleDir),
  };
}

describeNodeVersions("node versions", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-node-versions-"));
  let change: { base: string; head: string };
  /** The same commands on the node running the tests: what every line must match. */
  let reference: Promise<Runs>;
  const byLine = new Map<number, Promise<Runs>>();
  const started: Promise<unknown>[] = [];

  beforeAll(() => {
    change = { base: synthOut(baseProps()), head: synthOut(baseProps({ tlsOnly: false })) };
    const here = { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}` };
    reference = runCommands(process.versions.node, { ...process.env, ...here }, work, change);
    started.push(reference.catch(() => undefined));
    for (const line of NODE_LINES) {
      const runs = nodeBinary(line).then((binary: NodeBinary) => runCommands(binary.version, withNode(binary), work, change));
      started.push(runs.catch(() => undefined));
      byLine.set(line.line, runs);
    }
  });

  afterAll(async () => {
    await Promise.all(started);
    fs.rmSync(work, { recursive: true, force: true });
  });

  test("the reference run on this node did what the README says", async () => {
    const runs = await reference;
    expect({ code: runs.synth.code, stdout: runs.synth.stdout, stderr: runs.synth.stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(Object.keys(JSON.parse(runs.stack).resource)).toContain("aws_kms_key");
    expect(runs.badSynth.code).toBe(1);
    expect(runs.badSynth.stderr).toContain('"Bad_Bucket"');
    expect(runs.badSynth.stderr).toContain('"FOO": encryption is one of NONE, AES, KMS');
    expect(runs.badOutdirExists).toBe(false);
    expect([runs.review.code, runs.reviewChange.code, runs.adopt.code, runs.buildModule.code]).toEqual([0, 1, 0, 0]);
    expect(runs.review.stdout).toMatch(/^# What this stack grants Mixpanel\n/);
    expect(runs.adopt.stdout).toContain('to = module.mixpanel.aws_s3_bucket.this[0]\n  id = "acme-node-versions"');
    expect(Object.keys(runs.module)).toContain("main.tf.json");
  }, INSTALL_TIMEOUT_MS);

  describe.each(NODE_LINES.map((line) => [line.line, line] as const))("Node %s", (lineNumber, line) => {
    let runs: Runs;
    let expected: Runs;
    beforeAll(async () => {
      [runs, expected] = await Promise.all([byLine.get(lineNumber)!, reference]);
    }, INSTALL_TIMEOUT_MS);

    test(`runs on node v${line.version}`, () => {
      expect(runs.version).toBe(line.version);
    });

    test("npm run synth writes the same stack, and prints nothing", () => {
      expect({ code: runs.synth.code, stdout: runs.synth.stdout, stderr: runs.synth.stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
      expect(runs.stack).toBe(expected.stack);
    });

    test("npm run synth with bad settings fails with the same message and writes nothing", () => {
      expect({ code: runs.badSynth.code, stderr: runs.badSynth.stderr, wrote: runs.badOutdirExists })
        .toEqual({ code: 1, stderr: expected.badSynth.stderr, wrote: false });
    });

    test("review prints the same report of the synth and of a change", () => {
      expect(runs.review).toEqual(expected.review);
      expect(runs.reviewChange).toEqual(expected.reviewChange);
    });

    test("adopt prints the same import blocks", () => {
      expect(runs.adopt).toEqual(expected.adopt);
    });

    test("npm run build:module writes the same module", () => {
      expect(runs.buildModule.code).toBe(0);
      expect(runs.module).toEqual(expected.module);
    });
  });

  test(`the plan-review workflow's synth step synthesizes base and head without the cdktf CLI on Node ${NODE_LINES[NODE_LINES.length - 1].line}`, async () => {
    const binary = await nodeBinary(NODE_LINES[NODE_LINES.length - 1]);
    const step = stepsOf(loadWorkflow(WORKFLOWS.stack)).find((candidate) => candidate.name === "Synthesize base and head")!;
    // The runner's checkouts of base and head are this checkout here, already installed: `npm ci` does nothing.
    const workspace = fs.mkdtempSync(path.join(work, "workspace-"));
    for (const side of ["base", "head"]) fs.symlinkSync(ROOT, path.join(workspace, side), "dir");
    const shims = fs.mkdtempSync(path.join(work, "shims-"));
    fs.writeFileSync(path.join(shims, "npm"), '#!/usr/bin/env bash\n[ "$1" = ci ] || { echo "npm: only ci here: $*" >&2; exit 127; }\n', { mode: 0o755 });
    const result = runStep(step, workspace, { PATH: `${shims}${path.delimiter}${binary.bin}${path.delimiter}${process.env.PATH ?? ""}` });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    const bucketOf = (side: string) => {
      const stack = JSON.parse(fs.readFileSync(path.join(workspace, "synth", side, "stacks", "mixpanel-s3-export", "cdk.tf.json"), "utf8"));
      return Object.values(stack.resource.aws_s3_bucket as Record<string, { bucket: string }>).map((bucket) => bucket.bucket);
    };
    // cdktf.json's context reached the app: its example bucket.
    const context = JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).context as Record<string, string>;
    expect([bucketOf("base"), bucketOf("head")]).toEqual([[context.MIXPANEL_BUCKET], [context.MIXPANEL_BUCKET]]);
  }, INSTALL_TIMEOUT_MS);
});
