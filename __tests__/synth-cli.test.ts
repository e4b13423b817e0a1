import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runProcess } from "./support/child-process";

/**
 * The real CLI path: `cdktf synth` runs cdktf.json's app (main.ts) with the environment and cdktf.json's
 * context. Two runs of about 3 s each, started together before the tests. The CLI is the project's own
 * `node_modules/.bin/cdktf`, the one `npx cdktf` finds, started without npx's own second of start-up.
 */
const PROJECT = path.join(__dirname, "..");
const CDKTF = path.join(PROJECT, "node_modules", ".bin", "cdktf");

/** The environment of this process without settings of its own, so only the test's settings count. */
function cleanEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith("MIXPANEL_") || name === "AWS_REGION" || name.startsWith("CDKTF_")) continue;
    env[name] = value;
  }
  return { ...env, CHECKPOINT_DISABLE: "1", CI: "1", ...settings };
}

interface SynthRun {
  readonly status: number | null;
  readonly output: string;
}

async function synth(outdir: string, settings: Record<string, string>): Promise<SynthRun> {
  const run = await runProcess(CDKTF, ["synth", "--output", outdir], { cwd: PROJECT, env: cleanEnv(settings), timeout: 120_000 });
  return { status: run.code, output: `${run.stdout}\n${run.stderr}` };
}

/** Every `stacks/<stack>/cdk.tf.json` under an output folder. */
function stackFiles(outdir: string): string[] {
  const stacks = path.join(outdir, "stacks");
  if (!fs.existsSync(stacks)) return [];
  return fs.readdirSync(stacks).map((stack) => path.join(stacks, stack, "cdk.tf.json")).filter((file) => fs.existsSync(file));
}

let tmp: string;
let bad: SynthRun;
let good: SynthRun;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-synth-cli-"));
  [bad, good] = await Promise.all([
    synth(path.join(tmp, "bad"), { MIXPANEL_BUCKET: "Bad_Bucket", MIXPANEL_ENCRYPTION: "FOO" }),
    synth(path.join(tmp, "good"), { MIXPANEL_BUCKET: "acme-cli-synth-check", MIXPANEL_ENCRYPTION: "aes" }),
  ]);
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("cdktf synth with bad settings exits non-zero, names both settings, and writes nothing", () => {
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

test("cdktf synth with good settings exits 0 and writes the stack", () => {
  const outdir = path.join(tmp, "good");
  const { status, output } = good;
  expect({ status, output }).toEqual({ status: 0, output: expect.any(String) });
  const files = stackFiles(outdir);
  expect(files).toEqual([path.join(outdir, "stacks", "mixpanel-s3-export", "cdk.tf.json")]);
  const stack = JSON.parse(fs.readFileSync(files[0], "utf8")) as { resource: Record<string, Record<string, Record<string, unknown>>> };
  expect(Object.values(stack.resource.aws_s3_bucket).map((bucket) => bucket.bucket)).toEqual(["acme-cli-synth-check"]);
  expect(Object.keys(stack.resource)).toContain("aws_s3_bucket_server_side_encryption_configuration");
});
