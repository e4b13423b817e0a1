import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runProcess, settingsEnv } from "./support/child-process";
import { NODE_LINES, NodeBinary, describeNodeVersions, nodeBinary, withNode } from "./support/node-versions";

/**
 * The real CLI path: `cdktf synth` runs cdktf.json's app (main.ts) with the environment and cdktf.json's
 * context. The CLI is the project's own `node_modules/.bin/cdktf`, the one `npx cdktf` finds, started without
 * npx's own second of start-up, on each supported Node.js LTS line (support/node-versions.ts), whatever node
 * runs the tests: cdktf-cli 0.21, archived, loads a terminal library at start whose prebuilt binaries stop at
 * Node 22, so it works on 22 and fails on 24, as the README says. Started together before the tests.
 */
const PROJECT = path.join(__dirname, "..");
const CDKTF = path.join(PROJECT, "node_modules", ".bin", "cdktf");

/** The line the CLI runs on (the newest it supports), and the one it cannot start on. */
const SUPPORTED = NODE_LINES.find((line) => line.line === 22)!;
const UNSUPPORTED = NODE_LINES.find((line) => line.line === 24)!;

interface SynthRun {
  readonly status: number | null;
  readonly output: string;
}

/** `cdktf synth` with only `settings` and cdktf's telemetry off (as the README tells users to), on `binary`. */
async function synth(binary: Promise<NodeBinary>, outdir: string, settings: Record<string, string>): Promise<SynthRun> {
  const env = withNode(await binary, settingsEnv({ CHECKPOINT_DISABLE: "1", CI: "1", ...settings }));
  // This machine points TF_CLI_CONFIG_FILE at a file that does not exist, and terraform then complains on each
  // `terraform version` the CLI runs; a user's machine has no such setting.
  delete env.TF_CLI_CONFIG_FILE;
  const run = await runProcess(CDKTF, ["synth", "--output", outdir], { cwd: PROJECT, env, timeout: 120_000 });
  return { status: run.code, output: `${run.stdout}\n${run.stderr}` };
}

/** Every `stacks/<stack>/cdk.tf.json` under an output folder. */
function stackFiles(outdir: string): string[] {
  const stacks = path.join(outdir, "stacks");
  if (!fs.existsSync(stacks)) return [];
  return fs.readdirSync(stacks).map((stack) => path.join(stacks, stack, "cdk.tf.json")).filter((file) => fs.existsSync(file));
}

describeNodeVersions("cdktf synth", () => {
  let tmp: string;
  let bad: SynthRun;
  let good: SynthRun;
  let unsupported: SynthRun;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-synth-cli-"));
    const [supportedNode, unsupportedNode] = [nodeBinary(SUPPORTED), nodeBinary(UNSUPPORTED)];
    [, bad, good, unsupported] = await Promise.all([
      // The app by itself, as `npm run synth` runs it, beside the CLI on the same node and with the same settings.
      supportedNode.then((node) => runProcess(node.node, ["--require", "./scripts/swc-register.js", "main.ts"], {
        cwd: PROJECT, env: settingsEnv({ MIXPANEL_BUCKET: "acme-cli-synth-check", MIXPANEL_ENCRYPTION: "aes", CDKTF_OUTDIR: path.join(tmp, "app") }),
      })).then(() => undefined),
      synth(supportedNode, path.join(tmp, "bad"), { MIXPANEL_BUCKET: "Bad_Bucket", MIXPANEL_ENCRYPTION: "FOO" }),
      synth(supportedNode, path.join(tmp, "good"), { MIXPANEL_BUCKET: "acme-cli-synth-check", MIXPANEL_ENCRYPTION: "aes" }),
      synth(unsupportedNode, path.join(tmp, "unsupported"), { MIXPANEL_BUCKET: "acme-cli-synth-check" }),
    ]);
  }, 5 * 60 * 1000);
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test(`on Node ${SUPPORTED.line}, with bad settings it exits non-zero, names both settings, and writes nothing`, () => {
    const outdir = path.join(tmp, "bad");
    const { status, output } = bad;
    expect(status).not.toBe(0);
    expect(output).toContain("invalid settings; nothing was synthesized");
    expect(output).toContain('MIXPANEL_BUCKET (cdktf.json context key MIXPANEL_BUCKET; prop bucketName) = "Bad_Bucket"');
    expect(output).toContain('MIXPANEL_ENCRYPTION (cdktf.json context key MIXPANEL_ENCRYPTION; prop encryption) = "FOO": encryption is one of NONE, AES, KMS');
    expect(stackFiles(outdir)).toEqual([]);
    // Not even the output folder: main.ts checks the settings before `new App()` creates it.
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test(`on Node ${SUPPORTED.line}, with good settings it exits 0, prints no error, and writes what \`npm run synth\` writes`, () => {
    const { status, output } = good;
    expect({ status, errors: output.split("\n").filter((line) => /ERROR|Warning/.test(line)) }).toEqual({ status: 0, errors: [] });
    const files = stackFiles(path.join(tmp, "good"));
    expect(files).toEqual([path.join(tmp, "good", "stacks", "mixpanel-s3-export", "cdk.tf.json")]);
    const stack = JSON.parse(fs.readFileSync(files[0], "utf8")) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    expect(Object.values(stack.resource.aws_s3_bucket).map((bucket) => bucket.bucket)).toEqual(["acme-cli-synth-check"]);
    expect(Object.keys(stack.resource)).toContain("aws_s3_bucket_server_side_encryption_configuration");
    expect(fs.readFileSync(files[0], "utf8")).toBe(fs.readFileSync(path.join(tmp, "app", "stacks", "mixpanel-s3-export", "cdk.tf.json"), "utf8"));
    expect(fs.readFileSync(path.join(tmp, "good", "manifest.json"), "utf8")).toBe(fs.readFileSync(path.join(tmp, "app", "manifest.json"), "utf8"));
  });

  test(`on Node ${UNSUPPORTED.line} it cannot start (its terminal library has no build for this Node), as the README says`, () => {
    // Should a cdktf-cli release ever start here, this fails: then the README's requirements change.
    expect(unsupported.status).not.toBe(0);
    // Its prebuilt pty.node is missing for this Node (the install script that would try to build one is not
  // approved: package.json's allowScripts), or, where a build against another Node's headers was made, refused.
  expect(unsupported.output).toMatch(/Cannot find module '\.\.\/build\/Release\/pty\.node'|pty\.node'\s+was compiled against a different Node\.js version/);
  expect(unsupported.output).toContain("node-pty-prebuilt-multiarch");
    expect(fs.existsSync(path.join(tmp, "unsupported"))).toBe(false);
  });
});
