import * as fs from "fs";
import * as path from "path";
import { baseProps, synthStack } from "../support/synth";
import { cli, synthOut, tempDir, writeCdktfOut } from "./helpers";

/** Unusable input: exit 2, nothing on stdout, and one message on stderr that says what is wrong. */

const PREFIX = "mixpanel-s3-export review: ";

function folderWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function expectUnusable(result: ReturnType<typeof cli>, message: string): void {
  expect(result).toEqual({ code: 2, stdout: "", stderr: `${PREFIX}${message}\n` });
}

test("a missing folder", () => {
  const missing = path.join(tempDir(), "cdktf.out");
  expectUnusable(cli("review", missing), `${missing}: no such file or folder`);
});

test("a missing folder on either side of a diff is unusable input, not a widening", () => {
  const missing = path.join(tempDir(), "base");
  const result = cli("review", "--base", missing, "--head", synthOut(baseProps()));
  expectUnusable(result, `${missing}: no such file or folder`);
});

test("a folder that is not a cdktf output", () => {
  const dir = folderWith({ "README.md": "# not a synth\n" });
  expectUnusable(cli("review", dir), `${dir} is not a cdktf output: expected a cdktf output folder (with manifest.json or stacks/*/cdk.tf.json), a stack folder holding cdk.tf.json, a cdk.tf.json file, or a saved plan as JSON (terraform show -json plan.bin > plan.json)`);
});

test("a cdk.tf.json that is not valid JSON", () => {
  const dir = folderWith({ "stacks/mixpanel-s3-export/cdk.tf.json": "{\"resource\": {" });
  const file = path.join(dir, "stacks/mixpanel-s3-export/cdk.tf.json");
  const result = cli("review", dir);
  expect([result.code, result.stdout]).toEqual([2, ""]);
  expect(result.stderr).toMatch(new RegExp(`^${escape(`${PREFIX}${file} is not valid JSON: `)}.+\\n$`));
});

test("a manifest.json that is not valid JSON", () => {
  const dir = folderWith({ "manifest.json": "not json" });
  const result = cli("review", dir);
  expect([result.code, result.stdout]).toEqual([2, ""]);
  expect(result.stderr).toMatch(new RegExp(`^${escape(`${PREFIX}${path.join(dir, "manifest.json")} is not valid JSON: `)}.+\\n$`));
});

test("a manifest naming a stack whose file is missing", () => {
  const dir = writeCdktfOut(synthStack(baseProps()));
  fs.rmSync(path.join(dir, "stacks"), { recursive: true });
  expectUnusable(cli("review", dir), `${path.join(dir, "manifest.json")} names stack "mixpanel-s3-export" at stacks/mixpanel-s3-export/cdk.tf.json, which is missing`);
});

test("JSON that is no Terraform stack", () => {
  const dir = folderWith({ "cdk.tf.json": "{\"name\": \"some-package\"}" });
  const file = path.join(dir, "cdk.tf.json");
  expectUnusable(cli("review", file), `${file} is not a synthesized Terraform stack (no "terraform", "resource" or "output" key): expected a cdktf output folder (with manifest.json or stacks/*/cdk.tf.json), a stack folder holding cdk.tf.json, a cdk.tf.json file, or a saved plan as JSON (terraform show -json plan.bin > plan.json)`);
});

test.each([
  [["--base", "a"], "--base and --head go together"],
  [["--head"], "--head needs a path"],
  [["--bogus"], "unknown option --bogus"],
  [["a", "b"], "one path only (got a and b); to compare two synths use --base and --head"],
])("bad arguments %j", (args, message) => {
  const result = cli("review", ...args);
  expect([result.code, result.stdout]).toEqual([2, ""]);
  expect(result.stderr).toMatch(new RegExp(`^${escape(`${PREFIX}${message}\n\nUsage:`)}`));
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
